using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

public sealed class RawCommandTests
{
    private const string Attachment =
        "From: a@example.net\nSubject: Bin\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n" +
        "--b\nContent-Type: text/plain\n\nText part.\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAEC/w==\n--b--\n";

    [Fact]
    public async Task ExamineIsReadOnly()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        List<string> examine = await client.CommandAsync("a", "EXAMINE INBOX");
        Assert.Contains("* OK [PERMANENTFLAGS ()] Read-only mailbox.", examine);
        // RFC 3501 §6.3.2: EXAMINE shows \Recent without clearing it, so the SELECT below still gets it.
        Assert.Contains("* 1 RECENT", examine);
        Assert.Equal("a OK [READ-ONLY] Examine completed.", examine[^1]);
        Assert.Equal(["b NO [READ-ONLY] Mailbox is read-only."], await client.CommandAsync("b", "STORE 1 +FLAGS (\\Deleted)"));
        Assert.Equal(["c NO [READ-ONLY] Mailbox is read-only."], await client.CommandAsync("c", "EXPUNGE"));
        Assert.Equal(["d NO [READ-ONLY] Mailbox is read-only."], await client.CommandAsync("d", "MOVE 1 Trash"));
        List<string> select = await client.CommandAsync("e", "SELECT INBOX");
        Assert.Equal("* OK [CLOSED] Previous mailbox closed.", select[0]);
        Assert.Contains("* 1 RECENT", select);
        Assert.Equal(["* OK [CLOSED] Previous mailbox closed.", "f NO [NONEXISTENT] Mailbox doesn't exist: Nope"], await client.CommandAsync("f", "SELECT Nope"));
        Assert.Equal(["g BAD No mailbox selected."], await client.CommandAsync("g", "FETCH 1 FLAGS"));
    }

    [Fact]
    public async Task MoveSendsCopyUidThenExpunge()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await server.DeliverAsync(ImapTestServer.Message(2));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "SELECT INBOX");
        List<string> move = await client.CommandAsync("b", "UID MOVE 2 Trash");
        Assert.Matches(@"^\* OK \[COPYUID \d+ 2 1\] Moved UIDs\.$", move[0]);
        Assert.Equal(["* 2 EXPUNGE", "b OK Move completed."], move[1..]);
        Assert.Matches(@"^c OK \[COPYUID \d+ 1 2\] Copy completed\.$", Assert.Single(await client.CommandAsync("c", "COPY 1 Trash")));
        Assert.Equal(["d OK Store completed."], await client.CommandAsync("d", "STORE 1 +FLAGS.SILENT (\\Deleted)"));
        Assert.Equal(["e OK Unselect completed."], await client.CommandAsync("e", "UNSELECT"));
        await client.CommandAsync("f", "SELECT INBOX");
        Assert.Equal(["g OK Close completed."], await client.CommandAsync("g", "CLOSE"));
        Assert.Equal("* STATUS INBOX (MESSAGES 0)", (await client.CommandAsync("h", "STATUS INBOX (MESSAGES)"))[0]);
        Assert.Equal("* STATUS Trash (MESSAGES 2)", (await client.CommandAsync("i", "STATUS Trash (MESSAGES)"))[0]);
    }

    [Fact]
    public async Task BinaryAndPartialFetchesReturnTheRightBytes()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(Attachment);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "EXAMINE INBOX");
        List<string> binary = await client.CommandAsync("b", "FETCH 1 (BINARY.SIZE[2] BINARY.PEEK[1])");
        Assert.Equal(["* 1 FETCH (BINARY.SIZE[2] 4 BINARY[1] {10}", "Text part.)", "b OK Fetch completed."], binary);
        List<string> partial = await client.CommandAsync("c", "FETCH 1 (BODY.PEEK[1]<5.4> BODY.PEEK[1]<100.5> BODY.PEEK[2.MIME])");
        Assert.Equal("* 1 FETCH (BODY[1]<5> {4}", partial[0]);
        Assert.Equal("part BODY[1]<100> {0}", partial[1]);
        Assert.Equal(" BODY[2.MIME] {77}", partial[2]);
        Assert.Equal("Content-Type: application/octet-stream", partial[3]);
        Assert.Equal("Content-Transfer-Encoding: base64", partial[4]);
        Assert.Equal("c OK Fetch completed.", partial[^1]);
        List<string> structure = await client.CommandAsync("d", "UID FETCH 1 (BODYSTRUCTURE ENVELOPE)");
        Assert.StartsWith("* 1 FETCH (UID 1 BODYSTRUCTURE ((\"text\" \"plain\"", structure[0], StringComparison.Ordinal);
        Assert.Contains("ENVELOPE (NIL \"Bin\" ((NIL NIL \"a\" \"example.net\"))", structure[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfc822ItemsAndChangedSinceAreServed()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1, "Body line."));
        await server.DeliverAsync(ImapTestServer.Message(2));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "EXAMINE INBOX");
        int size = System.Text.Encoding.UTF8.GetByteCount(ImapTestServer.Message(1, "Body line.").ReplaceLineEndings("\r\n"));
        List<string> text = await client.CommandAsync("b", "FETCH 1 (RFC822.TEXT RFC822.SIZE BODY)");
        Assert.Equal(["* 1 FETCH (RFC822.TEXT {12}", "Body line.", $" RFC822.SIZE {size} BODY (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 1))", "b OK Fetch completed."], text);
        List<string> header = await client.CommandAsync("c", "FETCH 1 RFC822.HEADER");
        Assert.Equal($"* 1 FETCH (RFC822.HEADER {{{size - 12}}}", header[0]);
        Assert.Equal("", header[^3]);
        List<string> whole = await client.CommandAsync("d", "FETCH 1 RFC822");
        Assert.Equal($"* 1 FETCH (RFC822 {{{size}}}", whole[0]);
        Assert.Equal("Body line.", whole[^3]);

        await client.CommandAsync("e", "UID STORE 2 +FLAGS (\\Flagged)");
        Assert.Equal(["f NO [READ-ONLY] Mailbox is read-only."], await client.CommandAsync("f", "UID STORE 2 +FLAGS (\\Flagged)"));
        await client.CommandAsync("g", "SELECT INBOX (CONDSTORE)");
        List<string> stored = await client.CommandAsync("h", "UID STORE 2 +FLAGS (\\Flagged)");
        ulong modSeq = ulong.Parse(System.Text.RegularExpressions.Regex.Match(stored[0], @"MODSEQ \((\d+)\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        List<string> changed = await client.CommandAsync("i", $"FETCH 1:* (FLAGS) (CHANGEDSINCE {modSeq - 1})");
        Assert.Equal([$"* 2 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ ({modSeq}))", "i OK Fetch completed."], changed);
    }

    [Fact]
    public async Task ShutdownEndsAnIdleSessionWithBye()
    {
        ImapTestServer server = await ImapTestServer.StartAsync();
        try
        {
            await using RawImapClient client = await server.ConnectAsync();
            await client.LoginAsync();
            await client.SendAsync("i IDLE\r\n");
            Assert.Equal("+ idling", await client.ReadLineAsync());
            Task stop = server.Host.StopAsync(TestContext.Current.CancellationToken);
            Assert.Equal("* BYE Server shutting down.", await client.ReadLineAsync());
            Assert.Null(await client.ReadLineAsync());
            await stop;
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ExpungedFileIsReportedAndTheSessionStaysHealthy()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(maildir: true);
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "SELECT INBOX");
        foreach (string file in System.IO.Directory.GetFiles(Path.Combine(server.Maildirs.GetMaildirPath(ImapTestServer.Charlie), "cur")))
        {
            File.Delete(file);
        }

        List<string> fetch = await client.CommandAsync("b", "FETCH 1 BODY.PEEK[]");
        Assert.Equal("b NO [EXPUNGEISSUED] Some of the requested messages no longer exist.", fetch[^1]);
        Assert.Equal(["* 1 EXPUNGE", "c OK NOOP completed."], await client.CommandAsync("c", "NOOP"));
    }

    [Fact]
    public async Task IdleEndsWithTheIdleTimeout()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.IdleTimeout = TimeSpan.FromSeconds(1));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await client.ReadLineAsync());
        Assert.Equal("* BYE Disconnected for inactivity.", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task SlowLoginIsDisconnected()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(1));
        await using (RawImapClient client = await server.ConnectAsync())
        {
            await client.ReadLineAsync();
            Assert.Equal("* BYE Disconnected for inactivity.", await client.ReadLineAsync());
        }

        Assert.StartsWith("imap-login: Disconnected: Inactivity (no auth attempts in ", Assert.Single(await server.LinesAfterDisconnectAsync()), StringComparison.Ordinal);
    }
}
