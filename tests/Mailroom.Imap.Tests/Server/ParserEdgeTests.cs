using System.Text;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

public sealed class ParserEdgeTests
{
    [Fact]
    public async Task SynchronisingLiteralsGetAContinuationEach()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("a LOGIN {25}\r\n");
        Assert.Equal("+ Ready for literal data", await client.ReadLineAsync());
        await client.SendAsync(ImapTestServer.Charlie + " {7}\r\n");
        Assert.Equal("+ Ready for literal data", await client.ReadLineAsync());
        await client.SendAsync("charlie\r\n");
        Assert.StartsWith("a OK [CAPABILITY ", Assert.Single(await client.ReadUntilTaggedAsync("a")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonSynchronisingLiteralsAndPipelinedCommandsNeedNoRoundTrip()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("a LOGIN {25+}\r\n" + ImapTestServer.Charlie + " {7+}\r\ncharlie\r\nb SELECT INBOX\r\nc APPEND INBOX (\\Seen $Label) \" 7-Feb-1994 21:52:25 -0800\" {12+}\r\nSubject: x\r\n\r\nd FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE)\r\n");
        Assert.StartsWith("a OK [CAPABILITY ", Assert.Single(await client.ReadUntilTaggedAsync("a")), StringComparison.Ordinal);
        Assert.Equal("b OK [READ-WRITE] Select completed.", (await client.ReadUntilTaggedAsync("b"))[^1]);
        List<string> append = await client.ReadUntilTaggedAsync("c");
        Assert.Matches(@"^c OK \[APPENDUID \d+ 1\] Append completed\.$", append[^1]);
        Assert.Contains("* 1 EXISTS", append);
        Assert.True(append.IndexOf(@"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Label)") < append.IndexOf("* 1 EXISTS"), string.Join(" | ", append));
        List<string> fetch = await client.ReadUntilTaggedAsync("d");
        Assert.Equal(@"* 1 FETCH (FLAGS (\Seen \Recent $Label) INTERNALDATE ""07-Feb-1994 21:52:25 -0800"" RFC822.SIZE 12)", fetch[0]);
        Assert.Equal(["e NO Can't save a zero byte message."], await client.CommandAsync("e", "APPEND INBOX {0+}\r\n"));
        Assert.Equal(["f NO [TRYCREATE] Mailbox doesn't exist: Nope"], await client.CommandAsync("f", "APPEND Nope {1+}\r\nx"));
    }

    [Fact]
    public async Task HugeSynchronisingLiteralIsRefusedWithoutReadingIt()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLiteralSize = 4096);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["a NO [TOOBIG] Message too large."], await client.CommandAsync("a", "APPEND INBOX {999999999}"));
        Assert.Equal(["b NO [TOOBIG] Command too large."], await client.CommandAsync("b", "STATUS {2000000}"));
        Assert.Equal(["c OK NOOP completed."], await client.CommandAsync("c", "NOOP"));
    }

    [Fact]
    public async Task HugeNonSynchronisingLiteralEndsTheSession()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.SendAsync("a APPEND INBOX {999999999+}\r\n");
        Assert.Equal("* BYE [TOOBIG] Literal too big.", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task MalformedCommandsAreAnsweredBadAndTheSessionContinues()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxErrors = 50);
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        Assert.Equal(["a BAD Unknown command."], await client.CommandAsync("a", "XYZZY"));
        Assert.Equal(["b BAD Not authenticated."], await client.CommandAsync("b", "SELECT INBOX"));
        Assert.Equal(["c BAD Error in IMAP command received by server."], await client.CommandAsync("c", ""));
        await client.SendAsync("{}\r\n");
        Assert.Equal("* BAD Error in IMAP command received by server.", await client.ReadLineAsync());
        await client.SendAsync(Encoding.ASCII.GetBytes("d NOOP\0x\r\n"));
        Assert.Equal("d BAD NUL characters are not allowed in commands.", await client.ReadLineAsync());
        Assert.Equal("e BAD Unexpected characters at end of command", (await client.CommandAsync("e", "NOOP extra"))[^1]);
        Assert.StartsWith("f OK", (await client.CommandAsync("f", "LOGIN " + ImapTestServer.Charlie + " charlie"))[^1], StringComparison.Ordinal);
        Assert.Equal(["g BAD Already authenticated."], await client.CommandAsync("g", "LOGIN x y"));
        Assert.Equal(["h BAD No mailbox selected."], await client.CommandAsync("h", "FETCH 1 FLAGS"));
        await client.CommandAsync("i", "SELECT INBOX");
        Assert.Equal(["j BAD Invalid message sequence number."], await client.CommandAsync("j", "FETCH 5 FLAGS"));
        Assert.StartsWith("k BAD ", (await client.CommandAsync("k", "FETCH 1 (FLAGS"))[^1], StringComparison.Ordinal);
        Assert.StartsWith("l BAD ", (await client.CommandAsync("l", "SEARCH " + new string('(', 500) + "ALL" + new string(')', 500)))[^1], StringComparison.Ordinal);
        Assert.StartsWith("m BAD ", (await client.CommandAsync("m", "STORE 1 +FLAGS (\\Bogus)"))[^1], StringComparison.Ordinal);
        Assert.Equal(["* 1 FETCH (FLAGS (\\Recent))", "n OK Fetch completed."], await client.CommandAsync("n", "FETCH 1 FLAGS"));
    }

    [Fact]
    public async Task OverlongLineWithATagIsAnsweredBadAndTheSessionGoesOn()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLineLength = 1024);
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("a LOGIN " + new string('x', 5000) + "\r\n");
        Assert.Equal("a BAD [TOOBIG] Command line too long.", await client.ReadLineAsync());
        await client.SendAsync("b ID (\"name\" \"" + new string('y', 1024) + "\")\r\n");
        Assert.Equal("b BAD [TOOBIG] Command line too long.", await client.ReadLineAsync());
        Assert.Equal(["c OK NOOP completed."], await client.CommandAsync("c", "NOOP"));
    }

    [Fact]
    public async Task LineAtTheLimitIsAccepted()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLineLength = 1024);
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        string prefix = "b ID (\"name\" \"";
        string line = prefix + new string('y', 1024 - prefix.Length - 2) + "\")";
        Assert.Equal(1024, line.Length);
        await client.SendAsync(line + "\r\n");
        Assert.StartsWith("* ID ", await client.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("b OK", await client.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdWithThirtyFieldsOfRfc2971MaximumLengthIsAcceptedByDefault()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        // RFC 2971 §3.3: at most 30 field-value pairs, fields at most 30 octets, values at most 1024 octets.
        string fields = string.Join(' ', Enumerable.Range(0, 30).Select(i => "\"f" + i.ToString("D29", System.Globalization.CultureInfo.InvariantCulture) + "\" \"" + new string('v', 1024) + "\""));
        IReadOnlyList<string> reply = await client.CommandAsync("a", "ID (" + fields + ")");
        Assert.StartsWith("a OK", reply[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverlongLineWithoutATagEndsTheSession()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLineLength = 1024);
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync(new string('x', 5000) + "\r\n");
        Assert.Equal("* BYE [TOOBIG] Command line too long.", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task OverlongLineAnnouncingANonSynchronisingLiteralEndsTheSession()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLineLength = 1024);
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("a LOGIN " + new string('x', 5000) + " {5+}\r\nabcde\r\n");
        Assert.Equal("* BYE [TOOBIG] Command line too long.", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task FloodOfBadCommandsEndsTheSession()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxErrors = 3);
        await using (RawImapClient client = await server.ConnectAsync())
        {
            await client.ReadLineAsync();
            await client.SendAsync("a X\r\nb X\r\nc X\r\nd X\r\n");
            Assert.Equal("a BAD Unknown command.", await client.ReadLineAsync());
            Assert.Equal("b BAD Unknown command.", await client.ReadLineAsync());
            Assert.Equal("c BAD Unknown command.", await client.ReadLineAsync());
            Assert.Equal("* BYE Too many invalid commands.", await client.ReadLineAsync());
            Assert.Null(await client.ReadLineAsync());
        }

        string line = Assert.Single(await server.LinesAfterDisconnectAsync());
        Assert.StartsWith("imap-login: Disconnected: Too many invalid commands (no auth attempts in ", line, StringComparison.Ordinal);
    }
}
