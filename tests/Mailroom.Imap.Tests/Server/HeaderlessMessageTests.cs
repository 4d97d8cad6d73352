using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// A message file that does not start with a header field once made MimeKit throw, and the session answered every
/// FETCH ENVELOPE, BODYSTRUCTURE or SEARCH TEXT with <c>* BYE Internal error</c>. It is now a message whose whole
/// file is its body.
/// </summary>
public sealed class HeaderlessMessageTests
{
    private const string Headerless = "\tThis message has no header.\nIt is only a body.\n";

    [Fact]
    public async Task HeaderlessMessageIsAnsweredPerRfcAndTheSessionGoesOn()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(Headerless);
        await server.DeliverAsync(ImapTestServer.Message(2));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "EXAMINE INBOX");

        Assert.Equal(
            ["* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))", "b OK Fetch completed."],
            await client.CommandAsync("b", "FETCH 1 (ENVELOPE)"));
        Assert.Equal(
            ["* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 50 2 NIL NIL NIL NIL))", "c OK Fetch completed."],
            await client.CommandAsync("c", "FETCH 1 (BODYSTRUCTURE)"));
        Assert.Equal(
            ["* 1 FETCH (BODY[HEADER] {0}", " BODY[TEXT] {50}", "\tThis message has no header.", "It is only a body.", ")", "d OK Fetch completed."],
            await client.CommandAsync("d", "FETCH 1 (BODY.PEEK[HEADER] BODY.PEEK[TEXT])"));
        Assert.Equal(["* SEARCH 1", "e OK Search completed."], await client.CommandAsync("e", "SEARCH TEXT \"only a body\""));
        Assert.Equal(["* SEARCH 2", "f OK Search completed."], await client.CommandAsync("f", "SEARCH SUBJECT test"));
        Assert.Equal(["* SEARCH", "g OK Search completed."], await client.CommandAsync("g", "SEARCH SENTBEFORE 1-Jan-1990"));
        Assert.Equal(["h OK NOOP completed."], await client.CommandAsync("h", "NOOP"));
    }
}
