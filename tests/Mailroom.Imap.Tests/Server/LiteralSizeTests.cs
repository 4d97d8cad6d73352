using System.Text;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// Literal sizes announced by the client are compared with what is left of the limits, never added to what is used:
/// a size of 20 digits once wrapped the sum negative, passed the check, and the server buffered whatever followed.
/// </summary>
public sealed class LiteralSizeTests
{
    public static TheoryData<string> HugeSizes =>
    [
        "9999999999999999999",
        "99999999999999999999",
        "999999999999999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551616",
    ];

    [Theory]
    [MemberData(nameof(HugeSizes))]
    public async Task HugeSynchronisingLiteralsAreRefusedBeforeAndAfterLoginWithoutAContinuation(string size)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();

        // Before login every command, APPEND included, is bounded by the command limit.
        Assert.Equal(["a NO [TOOBIG] Command too large."], await client.CommandAsync("a", "LOGIN {" + size + "}"));
        Assert.Equal(["b NO [TOOBIG] Command too large."], await client.CommandAsync("b", "LOGIN " + ImapTestServer.Charlie + " {" + size + "}"));
        Assert.Equal(["c NO [TOOBIG] Command too large."], await client.CommandAsync("c", "APPEND INBOX {" + size + "}"));
        Assert.Equal(["d OK NOOP completed."], await client.CommandAsync("d", "NOOP"));

        Assert.StartsWith("e OK [CAPABILITY ", (await client.CommandAsync("e", "LOGIN " + ImapTestServer.Charlie + " charlie"))[^1], StringComparison.Ordinal);
        Assert.Equal(["f NO [TOOBIG] Message too large."], await client.CommandAsync("f", "APPEND INBOX {" + size + "}"));
        Assert.Equal(["g NO [TOOBIG] Message too large."], await client.CommandAsync("g", "APPEND INBOX (\\Seen) {" + size + "}"));
        Assert.Equal(["h NO [TOOBIG] Command too large."], await client.CommandAsync("h", "STATUS {" + size + "}"));
        Assert.Equal(["i OK NOOP completed."], await client.CommandAsync("i", "NOOP"));
        // Nothing was spooled: the store's temporary directory (created on first use) holds no file.
        string spool = server.Mailboxes.GetTemporaryDirectory(ImapTestServer.Charlie);
        Assert.True(!System.IO.Directory.Exists(spool) || !System.IO.Directory.EnumerateFiles(spool).Any());
    }

    [Theory]
    [MemberData(nameof(HugeSizes))]
    public async Task HugeNonSynchronisingLiteralBeforeLoginEndsTheSessionAtOnce(string size)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("a LOGIN {" + size + "+}\r\n" + new string('x', 64 * 1024));
        Assert.Equal("* BYE [TOOBIG] Literal too big.", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Theory]
    [MemberData(nameof(HugeSizes))]
    public async Task HugeNonSynchronisingAppendLiteralAfterLoginEndsTheSessionAtOnce(string size)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.SendAsync("a APPEND INBOX {" + size + "+}\r\n" + new string('x', 64 * 1024));
        Assert.Equal("* BYE [TOOBIG] Literal too big.", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task LiteralFillingTheCommandLimitExactlyIsReadAndOneByteMoreIsRefused()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxCommandSize = 1024);
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        const string Marker = "a LOGIN {1016}";
        int budget = 1024 - Marker.Length;
        Assert.Equal(1010, budget);

        Assert.Equal(["a NO [TOOBIG] Command too large."], await client.CommandAsync("a", "LOGIN {" + (budget + 1) + "}"));
        await client.SendAsync("a LOGIN {" + budget + "}\r\n");
        Assert.Equal("+ Ready for literal data", await client.ReadLineAsync());
        await client.SendAsync(Encoding.ASCII.GetBytes(new string('u', budget) + " pw\r\n"));
        Assert.Equal(["a NO [AUTHENTICATIONFAILED] Authentication failed."], await client.ReadUntilTaggedAsync("a"));
    }

    [Fact]
    public async Task AppendBeforeLoginIsBoundedByTheCommandLimitNotTheMessageLimit()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxCommandSize = 1024);
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        Assert.Equal(["a NO [TOOBIG] Command too large."], await client.CommandAsync("a", "APPEND INBOX {2048}"));
        await client.SendAsync("b APPEND INBOX {2048+}\r\n");
        Assert.Equal("* BYE [TOOBIG] Literal too big.", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }
}
