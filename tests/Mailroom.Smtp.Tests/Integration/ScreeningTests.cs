using System.Net;
using Mailroom.Core;
using Mailroom.Policy.Dnsbl;
using Mailroom.Smtp.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>Port 25's screening: the pregreet test (<c>Smtp:GreetDelay</c>) and DNS blocklists enforced at RCPT.</summary>
public sealed class ScreeningTests
{
    private static readonly IPAddress s_listed = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress s_clean = IPAddress.Parse("127.0.0.5");

    [Fact]
    public async Task AClientThatTalksBeforeTheGreetingIsRefusedWith554AndLoggedAsPregreet()
    {
        var time = new FakeTimeProvider();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, Untrusted(o => o.GreetDelay = TimeSpan.FromSeconds(6)), time: time);
        await using RawClient client = await server.ConnectAsync();

        Assert.Equal("220-mx.example.org ESMTP Mailroom", await client.ReadLineAsync());
        await client.SendAsync("EHLO spambot.example\r\n");

        Assert.Equal("554 5.5.1 Protocol error", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        IReadOnlyList<string> log = server.Logs.Lines(MaillogCategories.Postscreen);
        Assert.Single(log);
        Assert.Matches(@"^PREGREET 22 after 0\.00 from \[127\.0\.0\.1\]:\d+: EHLO spambot\.example\\r\\n$", log[0]);
    }

    [Fact]
    public async Task AClientThatWaitsForTheWholeGreetingIsServed()
    {
        var time = new FakeTimeProvider();
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, Untrusted(o => o.GreetDelay = TimeSpan.FromSeconds(6)), time: time);
        await using RawClient client = await server.ConnectAsync();

        Assert.Equal("220-mx.example.org ESMTP Mailroom", await client.ReadLineAsync());
        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal("220 mx.example.org ESMTP Mailroom", await client.ReadLineAsync());
        Assert.StartsWith("250-mx.example.org", await client.CommandAsync("EHLO mail.example.net"), StringComparison.Ordinal);
        Assert.Empty(server.Logs.Lines(MaillogCategories.Postscreen));
    }

    [Fact]
    public async Task ATrustedClientIsGreetedAtOnceWhateverTheDelay()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, o => o.GreetDelay = TimeSpan.FromSeconds(30));
        await using RawClient client = await server.ConnectAsync();

        Assert.Equal("220 mx.example.org ESMTP Mailroom", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task TheSubmissionPortIsNeverDelayed()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission, Untrusted(o => o.GreetDelay = TimeSpan.FromSeconds(30)));
        await using RawClient client = await server.ConnectAsync();

        Assert.Equal("220 mx.example.org ESMTP Mailroom", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task WithoutADelayTheGreetingIsOneLineAtOnce()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, Untrusted());
        await using RawClient client = await server.ConnectAsync();

        Assert.Equal("220 mx.example.org ESMTP Mailroom", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task AListedClientIsRefusedAtRcptWithTheListsTextAndTheRejectIsLogged()
    {
        (SmtpTestServer server, _) = await WithBlocklistAsync(Untrusted());
        await using (server)
        {
            await using RawClient client = await GreetedFromAsync(server, s_listed);
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<spam@remote.example>"));

            Assert.Equal(
                "554 5.7.1 Service unavailable; client [127.0.0.2] blocked using bl.test; Listed, see https://bl.test/?127.0.0.2",
                await client.CommandAsync("RCPT TO:<samt@example.org>"));
            Assert.Contains(
                "NOQUEUE: reject: RCPT from localhost[127.0.0.2]: 554 5.7.1 Service unavailable; client [127.0.0.2] blocked using bl.test; Listed, see https://bl.test/?127.0.0.2; from=<spam@remote.example> to=<samt@example.org> proto=ESMTP helo=<c.example>",
                server.Logs.Lines(MaillogCategories.Smtpd));
        }
    }

    [Fact]
    public async Task AClientNoListNamesIsServed()
    {
        (SmtpTestServer server, _) = await WithBlocklistAsync(Untrusted());
        await using (server)
        {
            await using RawClient client = await GreetedFromAsync(server, s_clean);
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<friend@remote.example>"));
            Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<samt@example.org>"));
        }
    }

    [Fact]
    public async Task ATrustedClientIsNeitherLookedUpNorRefused()
    {
        (SmtpTestServer server, TableDns dns) = await WithBlocklistAsync(o => o.TrustedNetworks.Add("127.0.0.2/32"));
        await using (server)
        {
            await using RawClient client = await GreetedFromAsync(server, s_listed);
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<app@example.org>"));
            Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<samt@example.org>"));
            Assert.Equal(0, dns.Questions);
        }
    }

    [Fact]
    public async Task AnAuthenticatedSessionFromAListedAddressIsNotRefused()
    {
        (SmtpTestServer server, _) = await WithBlocklistAsync(Untrusted(o => o.AllowPlaintextAuth = true));
        await using (server)
        {
            await using RawClient client = await GreetedFromAsync(server, s_listed);
            Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + SendingLimitTests.Plain("samt@example.org", "secret")));
            Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<samt@example.org>"));
            Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<alice@example.org>"));
        }
    }

    private static Action<SmtpOptions> Untrusted(Action<SmtpOptions>? more = null) => o =>
    {
        o.TrustedNetworks.Clear();
        more?.Invoke(o);
    };

    private static async Task<(SmtpTestServer Server, TableDns Dns)> WithBlocklistAsync(Action<SmtpOptions> configure)
    {
        TableDns dns = new TableDns()
            .A("2.0.0.127.bl.test", "127.0.0.2")
            .Txt("2.0.0.127.bl.test", "Listed, see https://bl.test/?127.0.0.2");
        var checker = new DnsblChecker(dns, new DnsblOptions { Sites = ["bl.test"] }, TimeProvider.System, NullLoggerFactory.Instance);
        SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Mta, configure, abuse: new SmtpAbuseControls(checker, null));
        return (server, dns);
    }

    private static async Task<RawClient> GreetedFromAsync(SmtpTestServer server, IPAddress source)
    {
        RawClient client = await server.ConnectFromAsync(source);
        Assert.Equal("220 mx.example.org ESMTP Mailroom", await client.ReadLineAsync());
        Assert.StartsWith("250-mx.example.org", await client.CommandAsync("EHLO c.example"), StringComparison.Ordinal);
        return client;
    }
}
