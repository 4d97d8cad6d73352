using Mailroom.Policy.Dns;
using Mailroom.Core;
using Mailroom.Queue.Delivery.Remote;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Mailroom.Queue.Tests;

public sealed class RemoteDeliveryTests : IAsyncDisposable
{
    private static readonly byte[] Content = "Received: from x\r\nFrom: a@example.org\r\nTo: far@remote.example\r\nSubject: relay\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nline one\r\n.leading dot\r\n\r\nlast line\r\n"u8.ToArray();
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly QueueHarness _harness;
    private readonly TestSmtpServer _server = new();
    private readonly FakeMxResolver _dns = new();

    public RemoteDeliveryTests()
    {
        _harness = new QueueHarness(_time);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _harness.Dispose();
    }

    private SmtpRemoteDeliveryAgent Agent(Action<RemoteDeliveryOptions>? configure = null)
    {
        var options = new RemoteDeliveryOptions { HeloName = "mailroom.test", Tls = TlsPolicy.None, ConnectTimeout = TimeSpan.FromSeconds(5), CommandTimeout = TimeSpan.FromSeconds(5) };
        options.Transports["*"] = $"smtp:[127.0.0.1]:{_server.Port}";
        configure?.Invoke(options);
        return new SmtpRemoteDeliveryAgent(Options.Create(options), _dns, _time);
    }

    private async Task<string> SubmitAsync(QueueManager manager, Envelope envelope) =>
        await QueueHarness.SubmitAsync(new SpoolQueue(manager), envelope, Content);

    [Fact]
    public async Task MessageArrivesByteExactAndIsLoggedAsSent()
    {
        await using SmtpRemoteDeliveryAgent agent = Agent();
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await SubmitAsync(manager, _harness.Envelope(QueueHarness.Remote("far@remote.example")));
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        var received = Assert.Single(_server.Messages);
        Assert.Equal("MAIL FROM:<sender@example.org>", received.MailFrom.Split(' ')[0] + " " + received.MailFrom.Split(' ')[1]);
        Assert.Equal(["far@remote.example"], received.Recipients);
        Assert.Equal(Content, received.Data);
        Assert.Contains(
            $"{id}: to=<far@remote.example>, relay=127.0.0.1[127.0.0.1]:{_server.Port}, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as TEST1)",
            _harness.Logs.Messages(MaillogCategories.Smtp));
    }

    [Fact]
    public async Task TemporaryFailureIsRetriedAfterBackoff()
    {
        _server.RcptReply = (_, n) => n == 0 ? "451 4.3.0 try later" : null;
        await using SmtpRemoteDeliveryAgent agent = Agent();
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await SubmitAsync(manager, _harness.Envelope(QueueHarness.Remote("far@remote.example")));
        await _harness.WaitForLogAsync(MaillogCategories.Smtp, "status=deferred (host 127.0.0.1[127.0.0.1] said: 451 4.3.0 try later (in reply to RCPT TO command))");
        await WaitForAsync(() => System.IO.Directory.GetFiles(Path.Combine(_harness.QueueDirectory, "defer")).Length == 1);
        await _harness.WaitForRetryScheduledAsync(id);
        Assert.Empty(_server.Messages);

        _time.Advance(TimeSpan.FromSeconds(300));
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Content, Assert.Single(_server.Messages).Data);
        Assert.Empty(_harness.QueueFiles("deferred"));
    }

    [Fact]
    public async Task PermanentFailureSendsADeliveryStatusReportToTheSender()
    {
        _server.RcptReply = (_, _) => "550 5.1.1 <far@remote.example>: user unknown";
        await using SmtpRemoteDeliveryAgent agent = Agent();
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        Envelope envelope = _harness.Envelope(QueueHarness.Remote("far@remote.example") with { OriginalRecipientParameter = "rfc822;far@remote.example" });
        string id = await SubmitAsync(manager, envelope);
        await _harness.WaitForLogAsync(MaillogCategories.Bounce, $"{id}: sender non-delivery notification: ");
        await _harness.WaitForLogAsync(MaillogCategories.Local, "to=<sender@example.org>, relay=local");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains(
            $"status=bounced (host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <far@remote.example>: user unknown (in reply to RCPT TO command))",
            Assert.Single(_harness.Logs.Messages(MaillogCategories.Smtp)));
        string file = Assert.Single(_harness.Mailbox("sender@example.org"));
        using MimeMessage dsn = await MimeMessage.LoadAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal("MAILER-DAEMON", dsn.From.Mailboxes.Single().LocalPart);
        var report = Assert.IsType<MultipartReport>(dsn.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        HeaderList recipient = status.StatusGroups[1];
        Assert.Equal("rfc822; far@remote.example", recipient["Final-Recipient"]);
        Assert.Equal("rfc822; far@remote.example", recipient["Original-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.Equal("dns; 127.0.0.1", recipient["Remote-MTA"]);
        Assert.Equal("smtp; 550 5.1.1 <far@remote.example>: user unknown", recipient["Diagnostic-Code"]);
        var original = Assert.IsType<MessagePart>(report[2]);
        Assert.Equal("relay", original.Message?.Subject);
    }

    [Fact]
    public async Task RecipientsOfOneDestinationGetTheirOwnOutcomesFromOneTransaction()
    {
        _server.RcptReply = (address, _) => address switch
        {
            "gone@remote.example" => "550 5.1.1 gone",
            "busy@remote.example" => "452 4.2.2 mailbox full",
            _ => null,
        };
        await using SmtpRemoteDeliveryAgent agent = Agent();
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await SubmitAsync(manager, _harness.Envelope(
            QueueHarness.Remote("ok@remote.example"), QueueHarness.Remote("gone@remote.example"), QueueHarness.Remote("busy@remote.example")));
        await _harness.WaitForLogAsync(MaillogCategories.Bounce, $"{id}: sender non-delivery notification: ");
        await WaitForAsync(() => _harness.QueueFiles("deferred").Any(f => Path.GetFileName(f) == id));
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, _server.Connections);
        Assert.Equal(["ok@remote.example"], Assert.Single(_server.Messages).Recipients);
        string[] lines = [.. _harness.Logs.Messages(MaillogCategories.Smtp)];
        Assert.Contains(lines, l => l.StartsWith($"{id}: to=<ok@remote.example>", StringComparison.Ordinal) && l.Contains("status=sent", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{id}: to=<gone@remote.example>", StringComparison.Ordinal) && l.Contains("dsn=5.1.1, status=bounced", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{id}: to=<busy@remote.example>", StringComparison.Ordinal) && l.Contains("dsn=4.2.2, status=deferred", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MailFromTheNullSenderIsNeverBounced()
    {
        _server.RcptReply = (_, _) => "550 5.1.1 unknown";
        await using SmtpRemoteDeliveryAgent agent = Agent();
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await SubmitAsync(manager, _harness.Envelope(QueueHarness.Remote("far@remote.example")) with { Sender = "" });
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains("status=bounced", Assert.Single(_harness.Logs.Messages(MaillogCategories.Smtp)), StringComparison.Ordinal);
        Assert.Empty(_harness.Logs.Messages(MaillogCategories.Bounce));
        Assert.Empty(_harness.QueueFiles("active"));
    }

    [Fact]
    public async Task NotifyNeverSuppressesTheBounce()
    {
        _server.RcptReply = (_, _) => "550 5.1.1 unknown";
        await using SmtpRemoteDeliveryAgent agent = Agent();
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await SubmitAsync(manager, _harness.Envelope(QueueHarness.Remote("far@remote.example") with { Notify = DsnNotify.Never }));
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(_harness.Logs.Messages(MaillogCategories.Bounce));
    }

    [Fact]
    public async Task SuccessNoticeSaysRelayedWhenTheNextHopLacksDsn()
    {
        _server.AdvertiseDsn = false;
        await using SmtpRemoteDeliveryAgent agent = Agent();
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await SubmitAsync(manager, _harness.Envelope(QueueHarness.Remote("far@remote.example") with { Notify = DsnNotify.Success }));
        await _harness.WaitForLogAsync(MaillogCategories.Bounce, $"{id}: sender delivery status notification: ");
        await _harness.WaitForLogAsync(MaillogCategories.Local, "to=<sender@example.org>");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        using MimeMessage dsn = await MimeMessage.LoadAsync(Assert.Single(_harness.Mailbox("sender@example.org")), TestContext.Current.CancellationToken);
        var status = Assert.IsType<MessageDeliveryStatus>(Assert.IsType<MultipartReport>(dsn.Body)[1]);
        Assert.Equal("relayed", status.StatusGroups[1]["Action"]);
        Assert.Equal("text/rfc822-headers", Assert.IsType<MultipartReport>(dsn.Body)[2].ContentType.MimeType);
    }

    [Fact]
    public async Task MxHostsAreResolvedThroughTheResolver()
    {
        _dns.AddMx("remote.example", (10, "mx1.remote.example"), (20, "mx2.remote.example"));
        _dns.AddHost("mx2.remote.example");
        await using SmtpRemoteDeliveryAgent agent = Agent(o =>
        {
            o.Transports.Clear();
            o.SmtpPort = _server.Port;
        });
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await SubmitAsync(manager, _harness.Envelope(QueueHarness.Remote("far@remote.example")));
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains($"relay=mx2.remote.example[127.0.0.1]:{_server.Port}", Assert.Single(_harness.Logs.Messages(MaillogCategories.Smtp)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonExistentDomainBouncesAndDnsTroubleDefers()
    {
        _dns.Mx["broken.example"] = new DnsLookup<MxHost>(DnsLookupStatus.TemporaryFailure, []);
        await using SmtpRemoteDeliveryAgent agent = Agent(o => o.Transports.Clear());
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await SubmitAsync(manager, _harness.Envelope(QueueHarness.Remote("a@nowhere.example"), QueueHarness.Remote("b@broken.example")));
        await _harness.WaitForLogAsync(MaillogCategories.Bounce, $"{id}: sender non-delivery notification: ");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        string[] lines = [.. _harness.Logs.Messages(MaillogCategories.Smtp)];
        Assert.Contains($"{id}: to=<a@nowhere.example>, relay=none, delay=0, delays=0/0/0/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=nowhere.example type=MX: Host not found)", lines);
        Assert.Contains($"{id}: to=<b@broken.example>, relay=none, delay=0, delays=0/0/0/0, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=broken.example type=MX: Host not found, try again)", lines);
        Assert.Empty(_server.Messages);
    }

    [Fact]
    public async Task TransportMapErrorAndDiscardEntriesAreHonoured()
    {
        await using SmtpRemoteDeliveryAgent agent = Agent(o =>
        {
            o.Transports["refused.example"] = "error:mail for refused.example is not accepted";
            o.Transports[".void.example"] = "discard";
        });
        var message = new[] { QueueHarness.Remote("x@refused.example"), QueueHarness.Remote("y@sub.void.example") };
        using QueueManager manager = _harness.CreateManager(remote: agent);
        await manager.StartAsync(TestContext.Current.CancellationToken);

        string id = await SubmitAsync(manager, _harness.Envelope(message));
        await _harness.WaitForLogAsync(MaillogCategories.Qmgr, $"{id}: removed");
        await manager.StopAsync(TestContext.Current.CancellationToken);

        string[] lines = [.. _harness.Logs.Messages(MaillogCategories.Smtp)];
        Assert.Contains($"{id}: to=<x@refused.example>, relay=none, delay=0, delays=0/0/0/0, dsn=5.0.0, status=bounced (mail for refused.example is not accepted)", lines);
        Assert.Contains($"{id}: to=<y@sub.void.example>, relay=none, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (discarded)", lines);
        Assert.Empty(_server.Messages);
    }

    [Fact]
    public async Task ConnectionRefusedDefersWithPostfixWording()
    {
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using SmtpRemoteDeliveryAgent agent = Agent(o => o.Transports["*"] = $"smtp:[127.0.0.1]:{closedPort}");
        IReadOnlyList<RemoteDeliveryResult> results = await agent.DeliverAsync(
            new QueuedMessage("ABC", _harness.Envelope(QueueHarness.Remote("far@remote.example")), "/nonexistent", 0, 0),
            [QueueHarness.Remote("far@remote.example")], TestContext.Current.CancellationToken);

        RemoteDeliveryResult result = Assert.Single(results);
        Assert.Equal(DeliveryStatus.Deferred, result.Status);
        Assert.Equal($"connect to 127.0.0.1[127.0.0.1]:{closedPort}: Connection refused", result.Text);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
