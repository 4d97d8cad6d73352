using System.Net;
using Mailroom.Net;
using Mailroom.Smtp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>
/// Mailbox quotas at SMTP time: a full mailbox is refused at RCPT with Postfix's wording (552 5.2.2), a message that
/// would overflow every recipient is refused at DATA, and a directory that cannot tell is a temporary failure.
/// The mailbox of samt@example.org uses 600 bytes.
/// </summary>
public sealed class QuotaTests : IAsyncLifetime
{
    private DirectoryInfo? _root;
    private MailListenerHost? _host;

    private QuotaDirectory Directory { get; } = new();

    private IPEndPoint EndPoint => _host!.GetBoundEndPoints("smtp")[0];

    public async ValueTask InitializeAsync()
    {
        _root = System.IO.Directory.CreateTempSubdirectory("mailroom-smtp-quota-");
        var quota = new FixedUsageQuota(Directory);
        quota.UsedBytes["samt@example.org"] = 600;

        var netOptions = new NetOptions();
        netOptions.Tls.TlsDirectory = Path.Combine(_root.FullName, "tls");
        netOptions.Tls.HostName = SmtpTestServer.Hostname;
        CertificateCache.Seed(netOptions.Tls.TlsDirectory);
        var handler = new SmtpConnectionHandler(
            SmtpListenerRole.Mta,
            Options.Create(new SmtpOptions { Hostname = SmtpTestServer.Hostname }),
            Directory,
            new FakeSubmitter(),
            new AuthFailureThrottle(Options.Create(netOptions), TimeProvider.System),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            quota);
        var certificates = new TlsCertificateProvider(Options.Create(netOptions), TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
        _host = new MailListenerHost([new ListenerBinding("smtp", [new IPEndPoint(IPAddress.Loopback, 0)], false, handler)], certificates, Options.Create(netOptions), TimeProvider.System, NullLogger<MailListenerHost>.Instance);
        await _host.StartAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None);
            _host.Dispose();
        }

        _root?.Delete(recursive: true);
    }

    [Fact]
    public async Task FullMailboxIsRefusedAtRcptWithPostfixWording()
    {
        Directory.Quotas["samt@example.org"] = 600;
        await using RawClient client = await InMailTransactionAsync();
        Assert.Equal("552 5.2.2 <samt@example.org>: Recipient address rejected: Mailbox full", await client.CommandAsync("RCPT TO:<samt@example.org>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<alice@example.org>"));
    }

    [Fact]
    public async Task AliasReachingAnotherMailboxIsAcceptedThoughOneTargetIsFull()
    {
        Directory.Quotas["samt@example.org"] = 100;
        await using RawClient client = await InMailTransactionAsync();
        Assert.Equal("552 5.2.2 <sam.t@example.org>: Recipient address rejected: Mailbox full", await client.CommandAsync("RCPT TO:<sam.t@example.org>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<team@example.org>"));
    }

    [Fact]
    public async Task MessageThatWouldOverflowEveryRecipientIsRefusedAtData()
    {
        Directory.Quotas["samt@example.org"] = 1000;
        await using RawClient client = await InMailTransactionAsync();
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<samt@example.org>"));
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));
        Assert.Equal("552 5.2.2 Error: mailbox full", await client.RawAsync("Subject: big\r\n\r\n" + new string('x', 500) + "\r\n.\r\n"));

        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<samt@example.org>"));
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.RawAsync("Subject: small\r\n\r\nhi\r\n.\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MixedRecipientsAreAcceptedAtDataAndLeftToDelivery()
    {
        Directory.Quotas["samt@example.org"] = 700;
        await using RawClient client = await InMailTransactionAsync();
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<samt@example.org>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<alice@example.org>"));
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.RawAsync("Subject: big\r\n\r\n" + new string('x', 500) + "\r\n.\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableQuotaIsATemporaryFailure()
    {
        Directory.Quotas["samt@example.org"] = 600;
        Directory.Inner.Unavailable = true;
        await using RawClient client = await InMailTransactionAsync();
        Assert.Equal("451 4.3.0 <samt@example.org>: Temporary lookup failure", await client.CommandAsync("RCPT TO:<samt@example.org>"));
    }

    private async Task<RawClient> InMailTransactionAsync()
    {
        RawClient client = await RawClient.ConnectAsync(EndPoint);
        Assert.StartsWith("220 ", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250-", await client.CommandAsync("EHLO client.example"), StringComparison.Ordinal);
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
        return client;
    }
}
