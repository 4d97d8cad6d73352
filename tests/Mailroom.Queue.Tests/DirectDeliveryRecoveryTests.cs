using Mailroom.Core;

namespace Mailroom.Queue.Tests;

/// <summary>
/// A restart after kill -9 at each point of a direct delivery: before the 250 nothing was acknowledged and the queue
/// drops what it finds (copies already in mailboxes stay, delivered once); after it, the deferred message is finished
/// without delivering again to the recipients it recorded.
/// </summary>
public sealed class DirectDeliveryRecoveryTests : IDisposable
{
    private static readonly byte[] Content = "Subject: test\r\n\r\nbody\r\n"u8.ToArray();
    private readonly QueueHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ACrashAfterSomeCopiesBeforeTheReplyLeavesAnIncomingFileTheRestartDropsWithoutDeliveringAgain()
    {
        // The state kill -9 leaves: a's copy durable in its mailbox, the spool file still in incoming/.
        using (QueueManager first = _harness.CreateManager())
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            await QueueHarness.SubmitAsync(new SpoolQueue(first), _harness.Envelope(QueueHarness.Local("a@example.org")), Content);
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        IMessageSubmission unfinished = await WriteIncomingAsync(QueueHarness.Local("a@example.org"), QueueHarness.Local("b@example.org"));

        using QueueManager restarted = _harness.CreateManager();
        await restarted.StartAsync(TestContext.Current.CancellationToken);
        await restarted.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(_harness.QueueFiles("incoming"));
        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Empty(_harness.Mailbox("b@example.org"));
        Assert.Contains(_harness.Logs.Lines, l => l.Message.Contains("1 unacknowledged incoming files dropped", StringComparison.Ordinal));
        await unfinished.DisposeAsync();
    }

    [Fact]
    public async Task ACrashAfterTheSidecarBeforeTheRenameLeavesNothingTheRestartDelivers()
    {
        IMessageSubmission unfinished = await WriteIncomingAsync(QueueHarness.Local("a@example.org"), QueueHarness.Local("b@example.org"));
        string sidecar = Path.Combine(_harness.QueueDirectory, "deferred", unfinished.QueueId + ".status");
        await File.WriteAllTextAsync(sidecar, "0 sent 2.0.0 delivered to mailbox\n", TestContext.Current.CancellationToken);

        using QueueManager restarted = _harness.CreateManager();
        await restarted.StartAsync(TestContext.Current.CancellationToken);
        await restarted.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(_harness.QueueFiles("incoming"));
        Assert.Empty(_harness.QueueFiles("deferred"));
        Assert.Empty(_harness.Mailbox("a@example.org"));
        Assert.Empty(_harness.Mailbox("b@example.org"));
        await unfinished.DisposeAsync();
    }

    [Fact]
    public async Task ACrashAfterTheRenameBeforeTheRetryWasScheduledDeliversThePendingRecipientsAtOnceAndOnlyThem()
    {
        var flaky = new FlakyStore(_harness.Store);
        flaky.FailNext("b@example.org", 1);
        string id;
        using (QueueManager first = _harness.CreateManager(flaky))
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            id = await QueueHarness.SubmitAsync(new SpoolQueue(first), _harness.Envelope(QueueHarness.Local("a@example.org"), QueueHarness.Local("b@example.org")), Content);
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        // What kill -9 between the fsync of deferred/ and the retry's schedule leaves: no defer log.
        File.Delete(Path.Combine(_harness.QueueDirectory, "defer", id));

        using QueueManager restarted = _harness.CreateManager();
        await restarted.StartAsync(TestContext.Current.CancellationToken);
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await restarted.StopAsync(TestContext.Current.CancellationToken);

        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Single(_harness.Mailbox("b@example.org"));
        Assert.Empty(_harness.QueueFiles("deferred"));
    }

    [Fact]
    public async Task ACrashAfterTheReplyKeepsTheRetryScheduleAndDeliversOnlyThePendingRecipients()
    {
        var flaky = new FlakyStore(_harness.Store);
        flaky.FailNext("b@example.org", 1);
        string id;
        using (QueueManager first = _harness.CreateManager(flaky))
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            id = await QueueHarness.SubmitAsync(new SpoolQueue(first), _harness.Envelope(QueueHarness.Local("a@example.org"), QueueHarness.Local("b@example.org")), Content);
        }

        using QueueManager restarted = _harness.CreateManager();
        await restarted.StartAsync(TestContext.Current.CancellationToken);
        Assert.Empty(_harness.Mailbox("b@example.org"));
        Assert.Equal(1, restarted.Flush());
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await restarted.StopAsync(TestContext.Current.CancellationToken);

        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Single(_harness.Mailbox("b@example.org"));
    }

    /// <summary>A spool file in incoming/ as a direct delivery leaves it (written, not committed), by a queue not running.</summary>
    private async Task<IMessageSubmission> WriteIncomingAsync(params EnvelopeRecipient[] recipients)
    {
        using QueueManager writer = _harness.CreateManager();
        IMessageSubmission submission = await new SpoolQueue(writer).BeginAsync(_harness.Envelope(recipients), TestContext.Current.CancellationToken);
        await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
        await submission.Content.FlushAsync(TestContext.Current.CancellationToken);
        return submission;
    }
}
