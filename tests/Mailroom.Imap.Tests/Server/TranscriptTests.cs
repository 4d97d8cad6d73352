using System.Text.RegularExpressions;
using Mailroom.Imap.Tests.Server.Support;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Tests.Server;

public sealed partial class TranscriptTests
{
    private const string SeedBody = "Hi\nHopefully you've received this email message without fault ?";

    [Fact]
    public async Task SeedTelnetTranscriptMatchesDovecot()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await server.DeliverAsync(ImapTestServer.Message(2));
        await server.DeliverAsync(ImapTestServer.Message(3, SeedBody));
        // An earlier session read message 3 and took the \Recent flags, as in the seed's mailbox.
        await using (RawImapClient earlier = await server.ConnectAsync())
        {
            await earlier.LoginAsync();
            await earlier.CommandAsync("e1", "SELECT INBOX");
            await earlier.CommandAsync("e2", "STORE 3 +FLAGS.SILENT (\\Seen)");
            await earlier.CommandAsync("e3", "LOGOUT");
        }

        await using RawImapClient client = await server.ConnectAsync();
        string greeting = (await client.ReadLineAsync())!;
        Assert.Matches(@"^\* OK \[CAPABILITY IMAP4rev1 [^\]]*\] Mailroom ready\.$", greeting);

        List<string> login = await client.CommandAsync("a1", "login charlie@alpha.example.org charlie");
        Assert.Matches(@"^a1 OK \[CAPABILITY IMAP4rev1 [^\]]*\] Logged in$", Assert.Single(login));

        List<string> select = await client.CommandAsync("a2", "select inbox");
        Assert.Equal(@"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)", select[0]);
        Assert.Equal(@"* OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted.", select[1]);
        Assert.Equal("* 3 EXISTS", select[2]);
        Assert.Equal("* 0 RECENT", select[3]);
        Assert.Equal("* OK [UNSEEN 1] First unseen.", select[4]);
        Assert.Matches(@"^\* OK \[UIDVALIDITY \d+\] UIDs valid$", select[5]);
        Assert.Equal("* OK [UIDNEXT 4] Predicted next UID", select[6]);
        Assert.Matches(@"^\* OK \[MAILBOXID \(F[0-9a-f]{24}\)\] Ok$", select[7]);
        Assert.Equal("a2 OK [READ-WRITE] Select completed.", select[8]);
        Assert.Equal(9, select.Count);

        List<string> fetch = await client.CommandAsync("a3", "fetch 3 body[text]");
        Assert.Equal(
            ["* 3 FETCH (BODY[TEXT] {66}", "Hi", "Hopefully you've received this email message without fault ?", ")", "a3 OK Fetch completed."],
            fetch);

        Assert.Equal(["a4 OK Close completed."], await client.CommandAsync("a4", "close"));
        Assert.Equal(["* BYE Logging out", "a5 OK Logout completed."], await client.CommandAsync("a5", "logout"));
        Assert.Null(await client.ReadLineAsync());

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync(disconnects: 2);
        Assert.Equal("imap-login: Login: user=<charlie@alpha.example.org>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, secured", log[^2]);
        Assert.Matches(InOutPattern(), log[^1]);
    }

    [Fact]
    public async Task NonPeekFetchSetsSeenAndReportsTheFlags()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1, SeedBody));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "EXAMINE INBOX");
        List<string> peek = await client.CommandAsync("b", "FETCH 1 (BODY[TEXT])");
        Assert.Equal("* 1 FETCH (BODY[TEXT] {66}", peek[0]);
        Assert.Equal(")", peek[3]);

        await client.CommandAsync("c", "SELECT INBOX");
        List<string> read = await client.CommandAsync("d", "FETCH 1 BODY[TEXT]");
        Assert.Equal(@" FLAGS (\Seen \Recent))", read[3]);
        List<string> again = await client.CommandAsync("e", "FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
        Assert.StartsWith(@"* 1 FETCH (FLAGS (\Seen \Recent) BODY[HEADER.FIELDS (SUBJECT)] {", again[0], StringComparison.Ordinal);
        Assert.Equal("Subject: Test 1", again[1]);
        MessageRecord record = Assert.Single(server.Mailboxes.OpenFolder(ImapTestServer.Charlie, "INBOX")!.Folder.Current.Messages);
        Assert.Equal(MessageFlags.Seen, record.Flags);
    }

    [GeneratedRegex(@"^IMAP\(charlie@alpha\.example\.org\): Disconnected: Logged out in=\d+ out=\d+$")]
    private static partial Regex InOutPattern();
}
