using MailKit;
using MailKit.Net.Imap;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>Regressions for what Dovecot's imaptest found (issue 15), each with the RFC rule it checks.</summary>
public sealed class ComplianceTests
{
    [Fact]
    public async Task KeywordSetByOneSessionIsAnnouncedToAnotherBeforeItsFetch()
    {
        await using TwoSessions sessions = await TwoSessions.StartAsync(delivered: 1);
        (RawImapClient first, RawImapClient second) = (sessions.Other, sessions.Client);
        List<string> select = await sessions.SelectInboxAsync();
        Assert.Contains(@"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)", select);

        await first.CommandAsync("b", "STORE 1 +FLAGS ($Label1)");
        List<string> noop = await second.CommandAsync("b", "NOOP");

        // RFC 9051 §7.3.5: the new keyword is in FLAGS and PERMANENTFLAGS before any FETCH shows it.
        int flags = noop.IndexOf(@"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Label1)");
        int permanent = noop.IndexOf(@"* OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Label1 \*)] Flags permitted.");
        int fetch = noop.FindIndex(static l => l.StartsWith("* 1 FETCH (", StringComparison.Ordinal) && l.Contains("$Label1", StringComparison.Ordinal));
        Assert.True(flags >= 0 && permanent > flags && fetch > permanent, string.Join(" | ", noop));

        // Announced once: a second change of the same keyword brings no new FLAGS.
        await first.CommandAsync("c", "STORE 1 -FLAGS ($Label1)");
        await first.CommandAsync("d", "STORE 1 +FLAGS ($Label1)");
        Assert.DoesNotContain((await second.CommandAsync("c", "NOOP")), static l => l.StartsWith("* FLAGS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeywordSetByOneSessionIsAnnouncedBeforeTheOtherSessionsFetchShowsIt()
    {
        await using TwoSessions sessions = await TwoSessions.StartAsync(delivered: 1);
        (RawImapClient first, RawImapClient second) = (sessions.Other, sessions.Client);
        await sessions.SelectInboxAsync();
        await first.CommandAsync("b", "STORE 1 +FLAGS ($Label2)");

        List<string> fetch = await second.CommandAsync("b", "FETCH 1 (FLAGS)");

        // RFC 9051 §7.3.5: whichever FETCH response first shows the keyword, FLAGS and PERMANENTFLAGS come before it.
        int flags = fetch.IndexOf(@"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Label2)");
        int permanent = fetch.IndexOf(@"* OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Label2 \*)] Flags permitted.");
        int shown = fetch.FindIndex(static l => l.StartsWith("* 1 FETCH (", StringComparison.Ordinal) && l.Contains("$Label2", StringComparison.Ordinal));
        Assert.True(flags >= 0 && permanent > flags && shown > permanent, string.Join(" | ", fetch));
        Assert.Equal("b OK Fetch completed.", fetch[^1]);
    }

    [Fact]
    public async Task KeywordSetByOneMailKitClientReachesAnotherMailKitClientsAcceptedKeywordsWithItsFetch()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient first = await server.ConnectMailKitAsync();
        using ImapClient second = await server.ConnectMailKitAsync();
        await first.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        await second.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        Assert.DoesNotContain("$Project", second.Inbox.AcceptedKeywords);

        await first.Inbox.StoreAsync(new UniqueId(1), new StoreFlagsRequest(StoreAction.Add, MessageFlags.None) { Keywords = { "$Project" } }, ct);
        IMessageSummary summary = Assert.Single(await second.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags, ct));

        Assert.Contains("$Project", summary.Keywords);
        Assert.Contains("$Project", second.Inbox.AcceptedKeywords);
        Assert.Contains("$Project", second.Inbox.PermanentKeywords);
    }

    [Fact]
    public async Task KeywordStoredByThisSessionIsAnnouncedBeforeTheStoreResponse()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("a", "SELECT INBOX");
        List<string> store = await client.CommandAsync("b", "STORE 1 +FLAGS (Work)");
        Assert.Equal(@"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft Work)", store[0]);
        Assert.Equal(@"* OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft Work \*)] Flags permitted.", store[1]);
        Assert.StartsWith("* 1 FETCH (FLAGS (", store[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExamineReportsRecentAndLeavesItForTheNextSelect()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverMessagesAsync(2);
        await using RawImapClient client = await server.LoggedInAsync();

        // RFC 3501 §2.3.2, §6.3.2: EXAMINE does not clear \Recent; the first SELECT claims it.
        Assert.Contains("* 2 RECENT", await client.CommandAsync("a", "EXAMINE INBOX"));
        await client.CommandAsync("b", "CLOSE");
        Assert.Contains("* STATUS INBOX (RECENT 2)", await client.CommandAsync("c", "STATUS INBOX (RECENT)"));
        Assert.Contains("* 2 RECENT", await client.CommandAsync("d", "SELECT INBOX"));
        await client.CommandAsync("e", "CLOSE");
        Assert.Contains("* STATUS INBOX (RECENT 0)", await client.CommandAsync("f", "STATUS INBOX (RECENT)"));
    }

    [Fact]
    public async Task AddressSearchMatchesAddressesWrittenWithCommentsRoutesAndNames()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        string[] froms =
        [
            "user-from@domain.org",
            "RealFrom <user-from@domain.org>",
            "<user-from (comment)@ (comment) domain.org>",
            "user-from@domain.org (RealFrom)",
            "user-from1@domain.org, user-from2@domain.org",
            "=?utf-8?q?R=C3=A9al?= <other@domain.org>",
        ];
        foreach (string from in froms)
        {
            await server.DeliverAsync("From: " + from + "\nSubject: s\n\nbody\n");
        }

        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("a", "SELECT INBOX");
        Assert.Equal("* SEARCH 1 2 3 4", (await client.CommandAsync("b", "SEARCH FROM user-from@domain.org"))[0]);
        Assert.Equal("* SEARCH 2 4", (await client.CommandAsync("c", "SEARCH FROM realfrom"))[0]);
        Assert.Equal("* SEARCH 6", (await client.CommandAsync("d", "SEARCH FROM \"al <other@domain.org>\""))[0]);
        Assert.Equal("* SEARCH", (await client.CommandAsync("e", "SEARCH SUBJECT user-from@domain.org"))[0]);
    }

    [Fact]
    public async Task ValidSyntaxThatIsNotModifiedUtf7IsRefusedWithNoAndListsFine()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        const string Atoms = "!#$&'+,-.0123456789:;<=>?@^_`|[}";
        Assert.Equal(["a NO [CANNOT] Mailbox name is not valid modified UTF-7."], await client.CommandAsync("a", "SELECT " + Atoms));
        Assert.Equal(["b NO [CANNOT] Mailbox name is not valid modified UTF-7."], await client.CommandAsync("b", "CREATE " + Atoms));
        Assert.Equal(["c OK List completed."], await client.CommandAsync("c", "LIST \"\" " + Atoms + "%*"));
        Assert.Equal(["d OK NOOP completed."], await client.CommandAsync("d", "NOOP"));
    }

    [Fact]
    public async Task BodySectionOfAPartHoldingNulCarriesNoNulWhileBinaryGivesItBack()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        string message = "From: a@example.org\r\nMime-Version: 1.0\r\nContent-Type: application/octet-stream\r\n" +
            "Content-Transfer-Encoding: binary\r\n\r\n\0-x\r\n";
        await client.SendAsync("a APPEND INBOX ~{" + message.Length + "+}\r\n" + message + "\r\n");
        Assert.StartsWith("a OK", (await client.ReadUntilTaggedAsync("a"))[^1], StringComparison.Ordinal);
        await client.CommandAsync("b", "SELECT INBOX");

        // RFC 9051 §4.3: CHAR8 excludes NUL; only literal8 (BINARY, RFC 3516) may carry one.
        List<string> body = await client.CommandAsync("c", "FETCH 1 (BODY.PEEK[1])");
        Assert.Equal("* 1 FETCH (BODY[1] {5}", body[0]);
        Assert.Equal("\uFFFD-x", body[1]); // 0x80, which is no UTF-8 on its own
        List<string> binary = await client.CommandAsync("d", "FETCH 1 (BINARY.PEEK[1])");
        Assert.Equal("* 1 FETCH (BINARY[1] ~{5}", binary[0]);
        Assert.Equal("\0-x", binary[1]);
    }

    [Fact]
    public async Task BinaryDecodesQuotedPrintableAsRfc2045Says()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(
            "From: a@example.org\nMime-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n" +
            "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n" +
            "hello  \nbar=\n\nfoo\t=\nbar\nfoo\t \t= \n=62\nfoo = \t\nbar\nx=4\n--b--\n");
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("a", "SELECT INBOX");
        const string Decoded = "hello\r\nbar\r\nfoo\tbar\r\nfoo\t \tb\r\nfoo bar\r\nx=4";
        Assert.Equal("* 1 FETCH (BINARY.SIZE[1] " + Decoded.Length + ")", (await client.CommandAsync("b", "FETCH 1 BINARY.SIZE[1]"))[0]);
        List<string> binary = await client.CommandAsync("c", "FETCH 1 BINARY.PEEK[1]");
        Assert.Equal("* 1 FETCH (BINARY[1] {" + Decoded.Length + "}", binary[0]);
        Assert.Equal(Decoded.Split("\r\n"), binary.Skip(1).Take(6).Select(static l => l.EndsWith(')') && l.StartsWith("x=4", StringComparison.Ordinal) ? l[..^1] : l));
    }

    [Fact]
    public async Task CondStoreEnablingFetchSendsHighestModSeqAndEsearchReportsTheReturnedMessagesModSeq()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverMessagesAsync(3);

        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("a", "SELECT INBOX");

        // RFC 7162 §3.1: the enabling command brings HIGHESTMODSEQ; only once.
        Assert.Matches(@"^\* OK \[HIGHESTMODSEQ \d+\]", (await client.CommandAsync("b", "FETCH 1 MODSEQ"))[0]);
        Assert.DoesNotContain(await client.CommandAsync("c", "FETCH 1 MODSEQ"), static l => l.Contains("HIGHESTMODSEQ", StringComparison.Ordinal));

        ulong ModSeqOf(List<string> lines) => ulong.Parse(
            System.Text.RegularExpressions.Regex.Match(lines[0], @"MODSEQ \((\d+)\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        ulong one = ModSeqOf(await client.CommandAsync("d", "STORE 1 +FLAGS (\\Seen)"));
        ulong three = ModSeqOf(await client.CommandAsync("e", "STORE 3 +FLAGS (\\Seen)"));
        ulong two = ModSeqOf(await client.CommandAsync("f", "STORE 2 +FLAGS (\\Seen)"));

        // RFC 7162 §3.1.10: MIN or MAX alone report the returned message's modseq; ALL the highest of the matches.
        Assert.Equal($"* ESEARCH (TAG \"g\") MIN 1 MODSEQ {one}", (await client.CommandAsync("g", "SEARCH RETURN (MIN) 1:3 MODSEQ 1"))[0]);
        Assert.Equal($"* ESEARCH (TAG \"h\") MAX 3 MODSEQ {three}", (await client.CommandAsync("h", "SEARCH RETURN (MAX) 1:3 MODSEQ 1"))[0]);
        Assert.Equal($"* ESEARCH (TAG \"i\") ALL 1:3 MODSEQ {two}", (await client.CommandAsync("i", "SEARCH RETURN () 1:3 MODSEQ 1"))[0]);
        Assert.Equal($"* ESEARCH (TAG \"j\") MIN 1 MAX 3 MODSEQ {Math.Max(one, three)}", (await client.CommandAsync("j", "SEARCH RETURN (MIN MAX) 1:3 MODSEQ 1"))[0]);
    }

    [Fact]
    public async Task RecursiveMatchListsAParentOnlyForSubscribedChildrenThePatternsDoNotList()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("a", "CREATE p/c");
        await client.CommandAsync("b", "SUBSCRIBE p/c");

        // RFC 5258 §3.5: the parent shows with CHILDINFO when the child is not listed itself.
        Assert.Equal(["* LIST (\\HasChildren) \"/\" p (\"CHILDINFO\" (\"SUBSCRIBED\"))", "c OK List completed."],
            await client.CommandAsync("c", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" p"));
        List<string> both = await client.CommandAsync("d", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (p p/c)");
        Assert.DoesNotContain(both, static l => l.EndsWith(" p (\"CHILDINFO\" (\"SUBSCRIBED\"))", StringComparison.Ordinal));
        Assert.Contains(both, static l => l.StartsWith("* LIST (", StringComparison.Ordinal) && l.EndsWith("\"/\" p/c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MultiappendSavesAllMessagesOrNone()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();

        // RFC 3502: several messages, one transaction, APPENDUID with a UID set (RFC 4315 §3).
        List<string> append = await client.CommandAsync("a", "APPEND INBOX (\\Seen) {14+}\r\nSubject: a\r\n\r\n \" 7-Feb-1994 21:52:25 -0800\" {14+}\r\nSubject: b\r\n\r\n");
        Assert.Matches(@"^a OK \[APPENDUID \d+ 1:2\] Append completed\.$", append[^1]);

        // One message refused (empty) refuses them all.
        Assert.Equal(["b NO Can't save a zero byte message."], await client.CommandAsync("b", "APPEND INBOX {14+}\r\nSubject: c\r\n\r\n {0+}\r\n"));
        Assert.Equal(["c NO [LIMIT] Too many keywords."], await client.CommandAsync("c", "APPEND INBOX {14+}\r\nSubject: c\r\n\r\n (" + string.Join(' ', Enumerable.Range(0, 65).Select(static i => "k" + i)) + ") {14+}\r\nSubject: d\r\n\r\n"));
        Assert.Contains("* STATUS INBOX (MESSAGES 2)", await client.CommandAsync("d", "STATUS INBOX (MESSAGES)"));
        await client.CommandAsync("e", "SELECT INBOX");
        List<string> fetch = await client.CommandAsync("f", "FETCH 1:2 (FLAGS INTERNALDATE)");
        Assert.StartsWith("* 1 FETCH (FLAGS (\\Seen \\Recent) ", fetch[0], StringComparison.Ordinal);
        Assert.Contains("INTERNALDATE \"07-Feb-1994 21:52:25 -0800\"", fetch[1], StringComparison.Ordinal);
        Assert.StartsWith("g BAD ", (await client.CommandAsync("g", "APPEND INBOX"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusReportsSizeAndAppendLimit()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLiteralSize = 123_456);
        await using RawImapClient client = await server.LoggedInAsync();
        Assert.Contains(" APPENDLIMIT=123456", (await client.CommandAsync("a", "CAPABILITY"))[0], StringComparison.Ordinal);
        await client.CommandAsync("b", "APPEND INBOX {14+}\r\nSubject: a\r\n\r\n {15+}\r\nSubject: bb\r\n\r\n");

        // RFC 8438: SIZE is the sum of the messages' RFC822.SIZE; RFC 7889: APPENDLIMIT the largest APPEND taken.
        Assert.Contains("* STATUS INBOX (SIZE 29 APPENDLIMIT 123456)", await client.CommandAsync("c", "STATUS INBOX (SIZE APPENDLIMIT)"));
        Assert.Equal(["d NO [TOOBIG] Message too large."], await client.CommandAsync("d", "APPEND INBOX {123457}"));
    }
}
