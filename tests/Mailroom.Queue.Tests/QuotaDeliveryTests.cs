using Mailroom.Core;
using Mailroom.Directory;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Queue.Tests;

/// <summary>
/// Local delivery against <c>mailbox.quota</c>: a message that would take the mailbox over its quota bounces with
/// 5.2.2 (the default) or is deferred with 4.2.2 (<c>Directory:QuotaExceeded = Defer</c>); mailboxes with room,
/// or without a quota, receive it.
/// </summary>
public sealed class QuotaDeliveryTests : IDisposable
{
    private static readonly byte[] Content = ("Subject: test\r\n\r\n" + new string('x', 400) + "\r\n").Select(c => (byte)c).ToArray();
    private readonly QueueHarness _harness = new(new FakeTimeProvider(TimeProvider.System.GetUtcNow()));

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task MessageOverTheQuotaBouncesWithMailboxFullAndOthersAreDelivered()
    {
        var directory = new QuotaDirectory(QuotaExceededAction.Bounce, ("small@example.org", 300), ("roomy@example.org", 100_000));
        using QueueManager manager = _harness.CreateManager(directory: directory);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(
            new SpoolQueue(manager),
            _harness.Envelope(QueueHarness.Local("small@example.org"), QueueHarness.Local("roomy@example.org"), QueueHarness.Local("free@example.org")),
            Content);
        await _harness.WaitForLogAsync(MaillogCategories.Local, $"{id}: to=<small@example.org>");
        await _harness.WaitForLogAsync(MaillogCategories.Local, $"{id}: to=<free@example.org>");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains(
            _harness.Logs.Messages(MaillogCategories.Local),
            m => m.StartsWith($"{id}: to=<small@example.org>", StringComparison.Ordinal) && m.EndsWith("dsn=5.2.2, status=bounced (Quota exceeded (mailbox for user is full))", StringComparison.Ordinal));
        Assert.Empty(_harness.Mailbox("small@example.org"));
        Assert.Single(_harness.Mailbox("roomy@example.org"));
        Assert.Single(_harness.Mailbox("free@example.org"));
    }

    [Fact]
    public async Task MessageOverTheQuotaIsDeferredWhenConfigured()
    {
        var directory = new QuotaDirectory(QuotaExceededAction.Defer, ("small@example.org", 300));
        using QueueManager manager = _harness.CreateManager(directory: directory);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Local("small@example.org")), Content);
        await _harness.WaitForLogAsync(MaillogCategories.Local, $"{id}: to=<small@example.org>");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains(
            _harness.Logs.Messages(MaillogCategories.Local),
            m => m.StartsWith($"{id}: to=<small@example.org>", StringComparison.Ordinal) && m.EndsWith("dsn=4.2.2, status=deferred (Quota exceeded (mailbox for user is full))", StringComparison.Ordinal));
        Assert.Empty(_harness.Mailbox("small@example.org"));
        Assert.NotEmpty(_harness.QueueFiles("deferred"));
    }
}
