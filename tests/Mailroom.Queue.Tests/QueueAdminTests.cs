using Mailroom.Core;
using Mailroom.Queue.Admin;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Queue.Tests;

public sealed class QueueAdminTests : IDisposable
{
    private static readonly byte[] Content = "Subject: test\r\n\r\nbody\r\n"u8.ToArray();
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly QueueHarness _harness;

    public QueueAdminTests()
    {
        _harness = new QueueHarness(_time);
    }

    public void Dispose() => _harness.Dispose();

    private async Task<string> DeferOneAsync(QueueManager manager)
    {
        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Remote("far@remote.example")), Content);
        await _harness.WaitForRetryScheduledAsync(id);
        return id;
    }

    [Fact]
    public async Task ListShowsDeferredMailWithItsReasonFromARunningServer()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);
        string id = await DeferOneAsync(manager);

        IReadOnlyList<QueuedMessageInfo> messages = await new QueueAdmin(_harness.QueueDirectory).ListAsync(TestContext.Current.CancellationToken);
        await manager.StopAsync(TestContext.Current.CancellationToken);

        QueuedMessageInfo message = Assert.Single(messages);
        Assert.Equal(id, message.Id);
        Assert.Equal("deferred", message.State);
        Assert.Equal("sender@example.org", message.Sender);
        Assert.NotNull(message.NextAttempt);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(300), message.NextAttempt.Value, TimeSpan.FromMilliseconds(1));
        QueuedRecipientInfo recipient = Assert.Single(message.Recipients);
        Assert.Equal("far@remote.example", recipient.Address);
        Assert.Equal("4.4.1", recipient.Dsn);
        Assert.Equal("no route to remote destinations configured", recipient.LastError);
    }

    [Fact]
    public async Task FlushRetriesDeferredMailNowOnARunningServer()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);
        string id = await DeferOneAsync(manager);

        QueueAdminResult result = await new QueueAdmin(_harness.QueueDirectory).FlushAsync(TestContext.Current.CancellationToken);
        for (int i = 0; i < 3000 && _harness.Logs.Messages(MaillogCategories.Qmgr).Count(m => m.StartsWith($"{id}: to=", StringComparison.Ordinal)) < 2; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new QueueAdminResult(1, ServerRunning: true), result);
        Assert.Equal(2, _harness.Logs.Messages(MaillogCategories.Qmgr).Count(m => m.StartsWith($"{id}: to=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HoldReleaseAndDeleteWorkAgainstARunningServer()
    {
        var admin = new QueueAdmin(_harness.QueueDirectory);
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);
        string id = await DeferOneAsync(manager);

        await admin.HoldAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal("hold", Assert.Single(await admin.ListAsync(TestContext.Current.CancellationToken)).State);
        Assert.DoesNotContain(manager.List(), m => m.State != "hold");
        Assert.Equal(0, manager.Flush());

        await admin.ReleaseAsync(id, TestContext.Current.CancellationToken);
        for (int i = 0; i < 3000 && _harness.Logs.Messages(MaillogCategories.Qmgr).Count(m => m.StartsWith($"{id}: to=", StringComparison.Ordinal)) < 2; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, _harness.Logs.Messages(MaillogCategories.Qmgr).Count(m => m.StartsWith($"{id}: to=", StringComparison.Ordinal)));

        QueueAdminResult deleted = await admin.DeleteAsync(id, TestContext.Current.CancellationToken);
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(deleted.ServerRunning);
        Assert.Empty(await admin.ListAsync(TestContext.Current.CancellationToken));
        Assert.Empty(_harness.QueueFiles("deferred"));
        Assert.Empty(_harness.QueueFiles("defer"));
        Assert.Contains($"{id}: removed", _harness.Logs.Messages(MaillogCategories.Qmgr));
        await Assert.ThrowsAsync<QueueAdminException>(() => admin.DeleteAsync(id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AdminActsOnTheFilesWhenNoServerRunsAndAHeldMessageStaysHeldAfterRestart()
    {
        string id;
        using (QueueManager first = _harness.CreateManager())
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            id = await DeferOneAsync(first);
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        var admin = new QueueAdmin(_harness.QueueDirectory);
        QueueAdminResult held = await admin.HoldAsync(id, TestContext.Current.CancellationToken);
        Assert.False(held.ServerRunning);

        using (QueueManager second = _harness.CreateManager())
        {
            await second.StartAsync(TestContext.Current.CancellationToken);
            await second.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, _harness.Logs.Messages(MaillogCategories.Qmgr).Count(m => m.StartsWith($"{id}: to=", StringComparison.Ordinal)));
        Assert.Equal([Path.Combine(_harness.QueueDirectory, "hold", id)], _harness.QueueFiles("hold"));
        Assert.Equal(1, (await admin.DeleteAsync("ALL", TestContext.Current.CancellationToken)).Count);
        Assert.Empty(_harness.QueueFiles("hold"));
    }

    [Fact]
    public async Task RestartKeepsTheRetryScheduleOfDeferredMail()
    {
        string id;
        using (QueueManager first = _harness.CreateManager())
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            id = await DeferOneAsync(first);
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        var agent = new RecordingRemoteAgent();
        using QueueManager second = _harness.CreateManager(remote: agent);
        await second.StartAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(299));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Empty(agent.Calls);

        _time.Advance(TimeSpan.FromSeconds(1));
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await second.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(id, Assert.Single(agent.Calls).QueueId);
        Assert.Empty(_harness.QueueFiles("defer"));
    }
}
