using Mailroom.Core;

namespace Mailroom.Queue.Tests;

/// <summary>Direct local delivery: an all-local message is delivered by its commit, before the 250.</summary>
public sealed class DirectDeliveryTests : IDisposable
{
    private static readonly byte[] Content = "Subject: test\r\n\r\nbody\r\n"u8.ToArray();
    private readonly QueueHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task AnAllLocalMessageIsInEveryMailboxWhenItsCommitReturnsAndLeavesNoQueueFile()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager),
            _harness.Envelope(QueueHarness.Local("a@example.org"), QueueHarness.Local("b@example.org")), Content);

        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Single(_harness.Mailbox("b@example.org"));
        Assert.Empty(_harness.QueueFiles("incoming"));
        Assert.Empty(_harness.QueueFiles("active"));
        Assert.Empty(_harness.QueueFiles("deferred"));
        Assert.Equal(
            [$"{id}: from=<sender@example.org>, size={Content.Length}, nrcpt=2 (queue active)", $"{id}: removed"],
            _harness.Logs.Messages(MaillogCategories.Qmgr));
        Assert.Equal(2, _harness.Logs.Messages(MaillogCategories.Local).Count(m => m.Contains("status=sent (delivered to mailbox)", StringComparison.Ordinal)));
        await manager.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TheDeliveredCopyHoldsTheDeliveryHeadersAndTheExactContent()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);

        await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Local("a@example.org")), Content);

        byte[] copy = await File.ReadAllBytesAsync(Assert.Single(_harness.Mailbox("a@example.org")), TestContext.Current.CancellationToken);
        string text = System.Text.Encoding.UTF8.GetString(copy);
        Assert.StartsWith("Return-Path: <sender@example.org>\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nDelivered-To: a@example.org\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Subject: test\r\n\r\nbody\r\n", text, StringComparison.Ordinal);
        await manager.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WithDirectLocalDeliveryOffTheCommitReturnsBeforeTheDelivery()
    {
        using var gated = new GatedStore(_harness.Store);
        using QueueManager manager = _harness.CreateManager(gated, directLocalDelivery: false);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Local("a@example.org")), Content);

        Assert.Empty(_harness.Mailbox("a@example.org"));
        gated.Open();
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);
        Assert.Single(_harness.Mailbox("a@example.org"));
    }

    [Fact]
    public async Task AMessageWithARemoteRecipientIsQueuedBeforeAnyDelivery()
    {
        using var gated = new GatedStore(_harness.Store);
        var remote = new RecordingRemoteAgent();
        using QueueManager manager = _harness.CreateManager(gated, remote);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager),
            _harness.Envelope(QueueHarness.Local("a@example.org"), QueueHarness.Remote("far@remote.example")), Content);

        Assert.Empty(_harness.Mailbox("a@example.org"));
        gated.Open();
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);
        Assert.Single(_harness.Mailbox("a@example.org"));
    }

    [Fact]
    public async Task ADirectDeliveryOnceStartedRunsToItsEndWhenTheClientGoesAway()
    {
        using var gated = new GatedStore(_harness.Store);
        using QueueManager manager = _harness.CreateManager(gated);
        await manager.StartAsync(TestContext.Current.CancellationToken);
        using var client = new CancellationTokenSource();

        IMessageSubmission submission = await new SpoolQueue(manager).BeginAsync(
            _harness.Envelope(QueueHarness.Local("a@example.org"), QueueHarness.Local("b@example.org")), TestContext.Current.CancellationToken);
        await using (submission)
        {
            await submission.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
            Task commit = Task.Run(() => submission.CommitAsync(client.Token).AsTask(), TestContext.Current.CancellationToken);
            await gated.Entered.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            await client.CancelAsync();
            gated.Open();
            await commit;
        }

        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Single(_harness.Mailbox("b@example.org"));
        Assert.Empty(_harness.QueueFiles("incoming"));
        await manager.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AQueueManagerThatIsNotRunningQueuesTheMessage()
    {
        using QueueManager manager = _harness.CreateManager();

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Local("a@example.org")), Content);

        Assert.Equal([Path.Combine(_harness.QueueDirectory, "active", id)], _harness.QueueFiles("active"));
        Assert.Empty(_harness.Mailbox("a@example.org"));
    }

    [Fact]
    public async Task ADeferredRecipientKeepsTheMessageInDeferredWithTheDeliveredOnesRecorded()
    {
        var flaky = new FlakyStore(_harness.Store);
        flaky.FailNext("b@example.org", 1);
        using QueueManager manager = _harness.CreateManager(flaky);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager),
            _harness.Envelope(QueueHarness.Local("a@example.org"), QueueHarness.Local("b@example.org"), QueueHarness.Local("c@example.org")), Content);

        // All of it is done when the commit returns: the copies, the deferred file, its sidecar, the retry schedule.
        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Empty(_harness.Mailbox("b@example.org"));
        Assert.Single(_harness.Mailbox("c@example.org"));
        Assert.Empty(_harness.QueueFiles("incoming"));
        Assert.Empty(_harness.QueueFiles("active"));
        string deferred = Path.Combine(_harness.QueueDirectory, "deferred", id);
        Assert.Equal([deferred, deferred + ".status"], _harness.QueueFiles("deferred").Order(StringComparer.Ordinal));
        Assert.Equal("0 sent 2.0.0 delivered to mailbox\n2 sent 2.0.0 delivered to mailbox\n",
            await File.ReadAllTextAsync(deferred + ".status", TestContext.Current.CancellationToken));
        Assert.Contains("retry ", await File.ReadAllTextAsync(Path.Combine(_harness.QueueDirectory, "defer", id), TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
        Assert.Contains(_harness.Logs.Messages(MaillogCategories.Local),
            m => m.StartsWith($"{id}: to=<b@example.org>, relay=local", StringComparison.Ordinal) && m.Contains("status=deferred (maildir delivery failed: No space left on device)", StringComparison.Ordinal));

        manager.Flush();
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);
        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Single(_harness.Mailbox("b@example.org"));
        Assert.Single(_harness.Mailbox("c@example.org"));
    }
}
