using Mailroom.Core;

namespace Mailroom.Queue.Tests;

public sealed class RecoveryTests : IDisposable
{
    private static readonly byte[] Content = "Subject: test\r\n\r\nbody\r\n"u8.ToArray();
    private readonly QueueHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task RestartDropsIncomingLeftoversAndDeliversCommittedMessages()
    {
        IMessageSubmission unfinished;
        string committed;
        using (QueueManager crashed = _harness.CreateManager())
        {
            var queue = new SpoolQueue(crashed);
            committed = await QueueHarness.SubmitAsync(queue, _harness.Envelope(QueueHarness.Local("bob@example.org")), Content);
            unfinished = await queue.BeginAsync(_harness.Envelope(QueueHarness.Local("eve@example.org")), TestContext.Current.CancellationToken);
            await unfinished.Content.WriteAsync(Content, TestContext.Current.CancellationToken);
        }

        using QueueManager restarted = _harness.CreateManager();
        await restarted.StartAsync(TestContext.Current.CancellationToken);
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{committed}: removed");
        await restarted.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(_harness.QueueFiles("incoming"));
        Assert.Single(_harness.Mailbox("bob@example.org"));
        Assert.Empty(_harness.Mailbox("eve@example.org"));
        await unfinished.DisposeAsync();
    }

    [Fact]
    public async Task PartiallyDeliveredMessageIsNotDeliveredAgainToFinishedRecipients()
    {
        var flaky = new FlakyStore(_harness.Store);
        flaky.FailNext("b@example.org", 1);
        string id;
        using (QueueManager first = _harness.CreateManager(flaky))
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            id = await QueueHarness.SubmitAsync(new SpoolQueue(first), _harness.Envelope(QueueHarness.Local("a@example.org"), QueueHarness.Local("b@example.org")), Content);
            await _harness.WaitForLogAsync(MaillogCategories.Local, $"{id}: to=<b@example.org>, relay=local");
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Empty(_harness.Mailbox("b@example.org"));
        Assert.Contains(Path.Combine(_harness.QueueDirectory, "deferred", id), _harness.QueueFiles("deferred"));
        string status = await File.ReadAllTextAsync(Path.Combine(_harness.QueueDirectory, "deferred", id + ".status"), TestContext.Current.CancellationToken);
        Assert.Equal("0 sent 2.0.0 delivered to mailbox\n", status);

        using QueueManager second = _harness.CreateManager();
        await second.StartAsync(TestContext.Current.CancellationToken);

        // A restart keeps the retry schedule of deferred mail (if it was written before the stop); flush makes it due.
        second.Flush();
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await second.StopAsync(TestContext.Current.CancellationToken);

        Assert.Single(_harness.Mailbox("a@example.org"));
        Assert.Single(_harness.Mailbox("b@example.org"));
        Assert.Empty(_harness.QueueFiles("deferred"));
    }

    [Fact]
    public async Task RemoteRecipientsWithoutAnAgentStayQueuedAcrossRestarts()
    {
        string id;
        using (QueueManager first = _harness.CreateManager())
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            id = await QueueHarness.SubmitAsync(new SpoolQueue(first), _harness.Envelope(QueueHarness.Remote("far@remote.example")), Content);
            await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: to=<far@remote.example>, relay=none");
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal([Path.Combine(_harness.QueueDirectory, "deferred", id)], _harness.QueueFiles("deferred"));

        using QueueManager second = _harness.CreateManager();
        await second.StartAsync(TestContext.Current.CancellationToken);

        // A restart keeps the retry schedule of deferred mail (if it was written before the stop); flush makes it due.
        second.Flush();
        for (int i = 0; i < 3000 && _harness.Logs.Messages(MaillogCategories.Qmgr).Count(m => m.Contains("status=deferred", StringComparison.Ordinal)) < 2; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await second.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, _harness.Logs.Messages(MaillogCategories.Qmgr).Count(m => m.Contains("status=deferred", StringComparison.Ordinal)));
        Assert.Equal([Path.Combine(_harness.QueueDirectory, "deferred", id)], _harness.QueueFiles("deferred"));
        Assert.DoesNotContain(_harness.Logs.Messages(MaillogCategories.Qmgr), m => m.EndsWith("removed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreadableQueueFilesAreSetAsideAsCorrupt()
    {
        using (QueueManager setup = _harness.CreateManager())
        {
            await File.WriteAllTextAsync(Path.Combine(_harness.QueueDirectory, "active", "0123456789AB"), "garbage", TestContext.Current.CancellationToken);
        }

        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(_harness.QueueFiles("active"));
        Assert.Single(_harness.QueueFiles("corrupt"));
    }
}
