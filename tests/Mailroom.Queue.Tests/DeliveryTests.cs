using Mailroom.Core;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Queue.Tests;

public sealed class DeliveryTests : IDisposable
{
    private static readonly byte[] Content = "Subject: test\r\n\r\nbody\r\n"u8.ToArray();
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly QueueHarness _harness;

    public DeliveryTests()
    {
        _harness = new QueueHarness(_time);
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task MaillogLinesAreWordedAsPostfixWritesThem()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager),
            _harness.Envelope(QueueHarness.Local("bob@example.org", "info@example.org"), QueueHarness.Local("carol@example.org")), Content);
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [$"{id}: from=<sender@example.org>, size={Content.Length}, nrcpt=2 (queue active)", $"{id}: removed"],
            _harness.Logs.Messages(MaillogCategories.Qmgr));
        Assert.Equal(
            [
                $"{id}: to=<bob@example.org>, orig_to=<info@example.org>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)",
                $"{id}: to=<carol@example.org>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)",
            ],
            _harness.Logs.Messages(MaillogCategories.Local));
    }

    [Fact]
    public async Task DelaysReportTimeBeforeAndInTheQueue()
    {
        using QueueManager manager = _harness.CreateManager();
        var queue = new SpoolQueue(manager);
        Envelope envelope = _harness.Envelope(QueueHarness.Local("bob@example.org"));
        _time.Advance(TimeSpan.FromSeconds(1.5));
        string id = await QueueHarness.SubmitAsync(queue, envelope, Content);
        _time.Advance(TimeSpan.FromSeconds(0.25));

        await manager.StartAsync(TestContext.Current.CancellationToken);
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            $"{id}: to=<bob@example.org>, relay=local, delay=1.75, delays=1.5/0.25/0/0, dsn=2.0.0, status=sent (delivered to mailbox)",
            Assert.Single(_harness.Logs.Messages(MaillogCategories.Local)));
    }

    [Fact]
    public async Task RemoteRecipientsWithoutAnAgentAreDeferredWithNoRoute()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Remote("far@remote.example")), Content);
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: to=");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains(
            $"{id}: to=<far@remote.example>, relay=none, delay=0, delays=0/0/0/0, dsn=4.4.1, status=deferred (no route to remote destinations configured)",
            _harness.Logs.Messages(MaillogCategories.Qmgr));
        Assert.Single(_harness.QueueFiles("deferred"));
    }

    [Fact]
    public async Task RemoteAgentReceivesOnlyRemoteRecipientsAndTheExactContent()
    {
        var agent = new RecordingRemoteAgent();
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager),
            _harness.Envelope(QueueHarness.Local("bob@example.org"), QueueHarness.Remote("far@remote.example"), QueueHarness.Remote("near@remote.example")), Content);
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        var call = Assert.Single(agent.Calls);
        Assert.Equal(id, call.QueueId);
        Assert.Equal(["far@remote.example", "near@remote.example"], call.Recipients);
        Assert.Equal(Content, call.Content);
        Assert.Single(_harness.Mailbox("bob@example.org"));
        Assert.Contains(
            $"{id}: to=<far@remote.example>, relay=mx.remote.example[192.0.2.1]:25, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ABC)",
            _harness.Logs.Messages(MaillogCategories.Smtp));
    }

    [Fact]
    public async Task AMailboxRemovedSinceRcptIsBouncedAndNotRetried()
    {
        using QueueManager manager = _harness.CreateManager(directory: new FakeDirectory("gone@example.org"));
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Local("gone@example.org")), Content);
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            $"{id}: to=<gone@example.org>, relay=local, delay=0, delays=0/0/0/0, dsn=5.1.1, status=bounced (unknown user: \"gone@example.org\")",
            Assert.Single(_harness.Logs.Messages(MaillogCategories.Local), m => m.StartsWith(id, StringComparison.Ordinal)));
        Assert.Empty(_harness.Mailbox("gone@example.org"));
        Assert.Empty(_harness.QueueFiles("deferred"));
    }

    [Fact]
    public async Task AnUnknownLocalUserBouncesWithARealDeliveryStatusReportReturningTheWholeMessage()
    {
        // The harness's default Queue:DirectMemoryLimit holds this message in memory: the notice quotes it from there.
        using QueueManager manager = _harness.CreateManager(directory: new FakeDirectory("gone@example.org"));
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Local("gone@example.org")), Content);
        await _harness.WaitForLogAsync(MaillogCategories.Bounce, $"{id}: sender non-delivery notification: ");
        await _harness.WaitForLogAsync(MaillogCategories.Local, "to=<sender@example.org>, relay=local");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        using MimeKit.MimeMessage dsn = await MimeKit.MimeMessage.LoadAsync(Assert.Single(_harness.Mailbox("sender@example.org")), TestContext.Current.CancellationToken);
        var report = Assert.IsType<MimeKit.MultipartReport>(dsn.Body);
        var status = Assert.IsType<MimeKit.MessageDeliveryStatus>(report[1]);
        Assert.Equal("failed", status.StatusGroups[1]["Action"]);
        Assert.Equal("5.1.1", status.StatusGroups[1]["Status"]);
        Assert.Equal("X-Mailroom; unknown user: \"gone@example.org\"", status.StatusGroups[1]["Diagnostic-Code"]);
        Assert.Equal("<>", File.ReadLines(Assert.Single(_harness.Mailbox("sender@example.org"))).First()["Return-Path: ".Length..]);
        MimeKit.MimeMessage original = Assert.IsType<MimeKit.MimeMessage>(Assert.IsType<MimeKit.MessagePart>(report[2]).Message);
        Assert.Equal("test", original.Subject);
        Assert.Equal("body", original.TextBody?.Trim());
        Assert.Empty(_harness.QueueFiles("incoming"));
    }

    [Fact]
    public async Task AFailedLocalDeliveryIsRetriedAfterTheMinimalBackoff()
    {
        var flaky = new FlakyStore(_harness.Store);
        flaky.FailNext("bob@example.org", 1);
        using QueueManager manager = _harness.CreateManager(flaky);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager), _harness.Envelope(QueueHarness.Local("bob@example.org")), Content);
        await _harness.WaitForLogAsync(MaillogCategories.Local, "status=deferred (maildir delivery failed: No space left on device)");
        for (int i = 0; i < 3000 && _harness.QueueFiles("deferred").Length == 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await _harness.WaitForRetryScheduledAsync(id);
        Assert.Empty(_harness.Mailbox("bob@example.org"));
        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Empty(_harness.Mailbox("bob@example.org"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Single(_harness.Mailbox("bob@example.org"));
        Assert.Contains(_harness.Logs.Messages(MaillogCategories.Local), m => m.Contains("delay=300, delays=0/300/0/0, dsn=2.0.0, status=sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MessagesDeferredBeyondTheQueueLifetimeExpire()
    {
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);
        Envelope old = _harness.Envelope(QueueHarness.Remote("far@remote.example")) with { ArrivalTime = _time.GetUtcNow() - TimeSpan.FromDays(6) };

        string id = await QueueHarness.SubmitAsync(new SpoolQueue(manager), old, Content);
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await _harness.WaitForLogAsync(MaillogCategories.Local, "to=<sender@example.org>");
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, "removed");
        for (int i = 0; i < 3000 && _harness.QueueFiles("active").Length > 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains($"{id}: from=<sender@example.org>, status=expired, returned to sender", _harness.Logs.Messages(MaillogCategories.Qmgr));
        Assert.Empty(_harness.QueueFiles("deferred"));
        Assert.Empty(_harness.QueueFiles("active"));
    }
}
