using System.Text;
using Mailroom.Pop3.Tests.Support;

namespace Mailroom.Pop3.Tests.Integration;

public sealed class ErrorPathTests
{
    [Fact]
    public async Task BadInputIsAnsweredAndTheSessionContinues()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(o => o.MaxErrors = 50);
        await server.DeliverAsync(Pop3TestServer.Message(1));
        await using RawClient client = await server.ConnectAsync();
        Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
        Assert.Equal("-ERR Unknown command.", await client.CommandAsync("XYZZY"));
        Assert.Equal("-ERR Unknown command.", await client.CommandAsync(""));
        Assert.Equal("-ERR Not logged in.", await client.CommandAsync("STAT"));
        Assert.Equal("-ERR Line too long.", await client.CommandAsync("USER " + new string('a', 5000)));
        await client.SendAsync(Encoding.ASCII.GetBytes("USER a\0b\r\n"));
        Assert.Equal("-ERR Invalid characters in command.", await client.ReadLineAsync());
        Assert.Equal("-ERR No username given.", await client.CommandAsync("USER"));
        await client.CommandAsync("USER " + Pop3TestServer.Charlie);
        Assert.Equal("+OK Logged in.", await client.CommandAsync("PASS charlie"));
        Assert.Equal("-ERR Already logged in.", await client.CommandAsync("USER x"));
        Assert.Equal("-ERR Invalid message number: abc", await client.CommandAsync("RETR abc"));
        Assert.Equal("-ERR Invalid message number: 0", await client.CommandAsync("LIST 0"));
        Assert.Equal("-ERR There's no message 2.", await client.CommandAsync("DELE 2"));
        Assert.Equal("-ERR Invalid arguments.", await client.CommandAsync("TOP 1"));
        Assert.Equal("-ERR Invalid number of lines: -1", await client.CommandAsync("TOP 1 -1"));
        Assert.Equal("+OK 1 messages:", await client.CommandAsync("LIST"));
        Assert.Single(await client.ReadMultilineAsync());
    }

    [Fact]
    public async Task ARepliedArgumentIsCutSoTheLineStaysWithinRfc2449Limits()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        await server.DeliverAsync(Pop3TestServer.Message(1));
        await using RawClient client = await server.ConnectAsync();
        await client.LoginAsync(Pop3TestServer.Charlie, "charlie");

        string top = await client.CommandAsync("TOP 1 " + new string('9', 1000));
        string retr = await client.CommandAsync("RETR " + new string('\u00e9', 500));

        // RFC 2449 §4: at most 512 octets with the CRLF.
        Assert.StartsWith("-ERR Invalid number of lines: 999", top, StringComparison.Ordinal);
        Assert.EndsWith("...", top, StringComparison.Ordinal);
        Assert.Equal(510, Encoding.UTF8.GetByteCount(top));
        Assert.StartsWith("-ERR Invalid message number: \u00e9", retr, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(retr), 500, 510);
        Assert.Equal("-ERR Invalid number of lines: " + new string('9', 480), await client.CommandAsync("TOP 1 " + new string('9', 480)));
    }

    [Fact]
    public async Task FloodOfBadCommandsEndsTheSession()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(o => o.MaxErrors = 3);
        await using (RawClient client = await server.ConnectAsync())
        {
            Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
            await client.SendAsync("A\r\nB\r\nC\r\nD\r\n");
            Assert.Equal("-ERR Unknown command.", await client.ReadLineAsync());
            Assert.Equal("-ERR Unknown command.", await client.ReadLineAsync());
            Assert.Equal("-ERR Unknown command.", await client.ReadLineAsync());
            Assert.Equal("-ERR Too many bad commands.", await client.ReadLineAsync());
            Assert.Null(await client.ReadLineAsync());
        }

        string line = Assert.Single(await server.LinesAfterDisconnectAsync());
        Assert.StartsWith("pop3-login: Disconnected: Too many bad commands (no auth attempts in ", line, StringComparison.Ordinal);

        // The server is healthy afterwards.
        await using RawClient next = await server.ConnectAsync();
        await next.LoginAsync(Pop3TestServer.Charlie, "charlie");
    }

    [Fact]
    public async Task BeforeLoginEveryErrorCountsEvenBetweenAcceptedCommands()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(o => o.MaxErrors = 3);
        await using RawClient client = await server.ConnectAsync();
        Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
        Assert.Equal("-ERR Unknown command.", await client.CommandAsync("A"));
        Assert.Equal("+OK", await client.CommandAsync("USER x"));
        Assert.Equal("-ERR Unknown command.", await client.CommandAsync("B"));
        Assert.Equal("+OK", await client.CommandAsync("USER x"));
        Assert.Equal("-ERR Unknown command.", await client.CommandAsync("C"));
        Assert.Equal("-ERR Too many bad commands.", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task AfterLoginOnlyBadCommandsInARowEndTheSession()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(o => o.MaxErrors = 3);
        await server.DeliverAsync(Pop3TestServer.Message(1));
        await using RawClient client = await server.ConnectAsync();
        await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
        for (int round = 0; round < 4; round++)
        {
            Assert.Equal("-ERR There's no message 2.", await client.CommandAsync("RETR 2"));
            Assert.Equal("-ERR Unknown command.", await client.CommandAsync("XYZZY"));
            Assert.Equal("+OK", await client.CommandAsync("NOOP"));
        }

        Assert.Equal("-ERR Unknown command.", await client.CommandAsync("A"));
        Assert.Equal("-ERR Unknown command.", await client.CommandAsync("B"));
        Assert.Equal("-ERR Unknown command.", await client.CommandAsync("C"));
        Assert.Equal("-ERR Too many bad commands.", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task IdleClientIsLoggedOut()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(o => o.IdleTimeout = TimeSpan.FromSeconds(1));
        await using (RawClient client = await server.ConnectAsync())
        {
            await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
            Assert.Equal("-ERR Disconnected for inactivity.", await client.ReadLineAsync());
            Assert.Null(await client.ReadLineAsync());
        }

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Equal("POP3(charlie@alpha.example.org): Disconnected for inactivity top=0/0, retr=0/0, del=0/0, size=0", log[^1]);
        Assert.False(server.Locks.IsLocked(Pop3TestServer.Charlie));
    }

    [Fact]
    public async Task DirectoryOutageIsATemporaryFailure()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        server.Directory.Unavailable = true;
        await using RawClient client = await server.ConnectAsync();
        Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
        Assert.Equal("+OK", await client.CommandAsync("USER " + Pop3TestServer.Charlie));
        Assert.Equal("-ERR [SYS/TEMP] Temporary authentication failure.", await client.CommandAsync("PASS charlie"));
    }

    [Fact]
    public async Task BlockedClientIsRefusedAndDisconnected()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(configureNet: net =>
        {
            net.AuthThrottle.FreeFailures = 10;
            net.AuthThrottle.BlockAfter = 1;
        });
        await using RawClient client = await server.ConnectAsync();
        Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
        Assert.Equal("-ERR [AUTH] Authentication failed.", await client.CommandAsync("AUTH PLAIN " + TranscriptTests.Plain(Pop3TestServer.Charlie, "bad")));
        Assert.Equal("-ERR [SYS/TEMP] Too many authentication failures, try again later.", await client.CommandAsync("AUTH PLAIN " + TranscriptTests.Plain(Pop3TestServer.Charlie, "charlie")));
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task PlaintextLoginIsRefusedWhenLoopbackIsNotTrusted()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(o => o.AllowPlaintextAuthOnLoopback = false);
        await using RawClient client = await server.ConnectAsync();
        Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
        const string refusal = "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
        Assert.Equal(refusal, await client.CommandAsync("USER " + Pop3TestServer.Charlie));
        Assert.Equal(refusal, await client.CommandAsync("PASS charlie"));
        Assert.Equal(refusal, await client.CommandAsync("AUTH PLAIN " + TranscriptTests.Plain(Pop3TestServer.Charlie, "charlie")));
        Assert.Equal("+OK", await client.CommandAsync("CAPA"));
        List<string> capa = await client.ReadMultilineAsync();
        Assert.DoesNotContain("USER", capa);
        Assert.DoesNotContain("SASL PLAIN", capa);
        Assert.Contains("STLS", capa);

        Assert.Equal("+OK Begin TLS negotiation now.", await client.CommandAsync("STLS"));
        await client.StartTlsAsync();
        Assert.Equal("+OK", await client.CommandAsync("USER " + Pop3TestServer.Charlie));
        Assert.Equal("+OK Logged in.", await client.CommandAsync("PASS charlie"));
    }

    [Fact]
    public async Task PlaintextPipelinedAfterStlsIsDiscardedAndUserIsForgotten()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        await using (RawClient client = await server.ConnectAsync())
        {
            Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
            Assert.Equal("+OK", await client.CommandAsync("USER " + Pop3TestServer.Charlie));
            await client.SendAsync("STLS\r\nPASS charlie\r\n");
            Assert.Equal("+OK Begin TLS negotiation now.", await client.ReadLineAsync());
            await client.StartTlsAsync();
            Assert.Equal("-ERR No username given.", await client.CommandAsync("PASS charlie"));
            Assert.Equal("-ERR TLS is already active.", await client.CommandAsync("STLS"));
            Assert.Equal("+OK", await client.CommandAsync("USER " + Pop3TestServer.Charlie));
            Assert.Equal("+OK Logged in.", await client.CommandAsync("PASS charlie"));
            Assert.Equal("+OK Logging out.", await client.CommandAsync("QUIT"));
        }

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Equal("pop3-login: Login: user=<charlie@alpha.example.org>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, TLS", log[0]);
    }
}
