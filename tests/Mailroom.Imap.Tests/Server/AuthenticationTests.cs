using System.Text;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

public sealed class AuthenticationTests
{
    private static string Plain(string user, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));

    [Fact]
    public async Task PlaintextLoginIsDisabledUntilStartTls()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.AllowPlaintextAuthOnLoopback = false);
        await using (RawImapClient client = await server.ConnectAsync())
        {
            string greeting = (await client.ReadLineAsync())!;
            Assert.Contains(" STARTTLS LOGINDISABLED]", greeting, StringComparison.Ordinal);
            Assert.DoesNotContain("AUTH=", greeting, StringComparison.Ordinal);
            Assert.Equal(
                ["a NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections."],
                await client.CommandAsync("a", "LOGIN " + ImapTestServer.Charlie + " charlie"));
            Assert.Equal(["b OK Begin TLS negotiation now."], await client.CommandAsync("b", "STARTTLS"));
            await client.StartTlsAsync("localhost");
            List<string> capability = await client.CommandAsync("c", "CAPABILITY");
            Assert.EndsWith(" APPENDLIMIT=52428800 AUTH=PLAIN", capability[0], StringComparison.Ordinal);
            Assert.Contains(" BINARY QUOTA QUOTA=RES-STORAGE MULTIAPPEND STATUS=SIZE SORT ", capability[0], StringComparison.Ordinal);
            Assert.Equal(["d BAD TLS is already active."], await client.CommandAsync("d", "STARTTLS"));
            Assert.StartsWith("e OK [CAPABILITY IMAP4rev1 ", (await client.CommandAsync("e", "AUTHENTICATE PLAIN " + Plain(ImapTestServer.Charlie, "charlie")))[^1], StringComparison.Ordinal);
            List<string> after = await client.CommandAsync("f", "CAPABILITY");
            Assert.EndsWith(" THREAD=REFERENCES ESORT CONTEXT=SEARCH CONTEXT=SORT QRESYNC OBJECTID SAVEDATE PREVIEW COMPRESS=DEFLATE UTF8=ACCEPT CATENATE NOTIFY APPENDLIMIT=52428800", after[0], StringComparison.Ordinal);
            Assert.Contains(" CONDSTORE BINARY QUOTA QUOTA=RES-STORAGE MULTIAPPEND STATUS=SIZE SORT ", after[0], StringComparison.Ordinal);
            Assert.DoesNotContain("AUTH=", after[0], StringComparison.Ordinal);
            Assert.Equal(["* BYE Logging out", "g OK Logout completed."], await client.CommandAsync("g", "LOGOUT"));
        }

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Equal("imap-login: Login: user=<charlie@alpha.example.org>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, TLS", log[0]);
    }

    [Fact]
    public async Task AuthenticatePlainWorksWithAContinuationAndCanBeCancelled()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("a AUTHENTICATE PLAIN\r\n");
        Assert.Equal("+ ", await client.ReadLineAsync());
        await client.SendAsync("*\r\n");
        Assert.Equal("a BAD Authentication aborted by client.", await client.ReadLineAsync());
        Assert.Equal(["b NO Unsupported authentication mechanism."], await client.CommandAsync("b", "AUTHENTICATE CRAM-MD5"));
        await client.SendAsync("c AUTHENTICATE PLAIN\r\n");
        Assert.Equal("+ ", await client.ReadLineAsync());
        await client.SendAsync(Plain(ImapTestServer.Charlie, "wrong") + "\r\n");
        Assert.Equal("c NO [AUTHENTICATIONFAILED] Authentication failed.", await client.ReadLineAsync());
        await client.SendAsync("d AUTHENTICATE PLAIN\r\n");
        Assert.Equal("+ ", await client.ReadLineAsync());
        await client.SendAsync(Plain(ImapTestServer.Charlie, "charlie") + "\r\n");
        Assert.StartsWith("d OK [CAPABILITY ", await client.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedFailuresAreBlockedAndTheConnectionClosed()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(configureNet: n =>
        {
            n.AuthThrottle.FreeFailures = 10;
            n.AuthThrottle.BlockAfter = 2;
        });
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        Assert.Equal(["a NO [AUTHENTICATIONFAILED] Authentication failed."], await client.CommandAsync("a", "LOGIN " + ImapTestServer.Charlie + " x"));
        Assert.Equal(["b NO [AUTHENTICATIONFAILED] Authentication failed."], await client.CommandAsync("b", "LOGIN " + ImapTestServer.Charlie + " y"));
        Assert.Equal(
            ["c NO [UNAVAILABLE] Too many authentication failures, try again later.", "* BYE Disconnecting."],
            [.. (await client.CommandAsync("c", "LOGIN " + ImapTestServer.Charlie + " charlie")), (await client.ReadLineAsync())!]);
        Assert.Null(await client.ReadLineAsync());
        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Matches(@"^imap-login: Disconnected \(auth failed, 3 attempts in \d+ secs\): user=<charlie@alpha\.example\.org>, method=PLAIN, rip=127\.0\.0\.1, lip=127\.0\.0\.1, secured$", Assert.Single(log));
    }

    [Fact]
    public async Task DirectoryOutageIsATemporaryFailure()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        server.Directory.Unavailable = true;
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        Assert.Equal(["a NO [UNAVAILABLE] Temporary authentication failure."], await client.CommandAsync("a", "LOGIN " + ImapTestServer.Charlie + " charlie"));
        server.Directory.Unavailable = false;
        Assert.StartsWith("b OK", (await client.CommandAsync("b", "LOGIN " + ImapTestServer.Charlie + " charlie"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleClientIsLoggedOut()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.IdleTimeout = TimeSpan.FromSeconds(1));
        await using (RawImapClient client = await server.ConnectAsync())
        {
            await client.LoginAsync();
            Assert.Equal("* BYE Disconnected for inactivity.", await client.ReadLineAsync());
            Assert.Null(await client.ReadLineAsync());
        }

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Matches(@"^IMAP\(charlie@alpha\.example\.org\): Disconnected for inactivity in=\d+ out=\d+$", log[^1]);
    }
}
