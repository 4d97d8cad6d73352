using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Mailroom.Imap.Tests.Server.Support;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Tests.Server;

/// <summary>SORT, THREAD and ESORT on the wire (RFC 5256, RFC 5957, RFC 5267), with raw commands and MailKit.</summary>
public sealed class SortThreadTests
{
    private static string Mail(string id, string subject, string date, string from, string? references = null) =>
        $"From: {from}\nTo: charlie@alpha.example.org\nSubject: {subject}\nMessage-ID: <{id}>\nDate: {date}\n" +
        (references is null ? string.Empty : $"References: {references}\n") + "\nBody.\n";

    // 1 starts a thread, 2 and 4 answer it, 3 stands alone; dates and senders deliberately out of mailbox order.
    private static async Task<ImapTestServer> ServerWithThreadAsync(bool maildir = false)
    {
        ImapTestServer server = await ImapTestServer.StartAsync(maildir: maildir);
        await server.DeliverAsync(Mail("a@x", "Lunch plans", "Mon, 1 Jan 2024 10:00:00 +0000", "Carol <carol@example.org>"));
        await server.DeliverAsync(Mail("b@x", "Re: Lunch plans", "Mon, 1 Jan 2024 12:00:00 +0000", "Alice <alice@example.org>", "<a@x>"));
        await server.DeliverAsync(Mail("c@x", "Budget", "Mon, 1 Jan 2024 09:00:00 +0000", "Bob <bob@example.org>"));
        await server.DeliverAsync(Mail("d@x", "[team] Re: Lunch plans", "Mon, 1 Jan 2024 11:00:00 +0000", "Dave <dave@example.org>", "<a@x>"));
        return server;
    }

    [Fact]
    public async Task SortAndThreadAreAdvertised()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        string capability = (await client.CommandAsync("a", "CAPABILITY"))[0];
        foreach (string name in (string[])["SORT", "SORT=DISPLAY", "THREAD=REFERENCES", "THREAD=ORDEREDSUBJECT", "ESORT", "CONTEXT=SORT"])
        {
            Assert.Contains(" " + name + " ", capability + " ", StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SortOrdersBySentDateSubjectAndSender()
    {
        await using ImapTestServer server = await ServerWithThreadAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", "SELECT INBOX");
        Assert.Equal(["* SORT 3 1 4 2", "a OK Sort completed."], await client.CommandAsync("a", "SORT (DATE) UTF-8 ALL"));
        Assert.Equal(["* SORT 2 4 1 3", "b OK Sort completed."], await client.CommandAsync("b", "SORT (REVERSE DATE) US-ASCII ALL"));
        Assert.Equal(["* SORT 3 1 2 4", "c OK Sort completed."], await client.CommandAsync("c", "SORT (SUBJECT) UTF-8 ALL"));
        Assert.Equal(["* SORT 2 3 1 4", "d OK Sort completed."], await client.CommandAsync("d", "SORT (FROM) UTF-8 ALL"));
        Assert.Equal(["* SORT 2 3 1 4", "e OK Sort completed."], await client.CommandAsync("e", "SORT (DISPLAYFROM) UTF-8 ALL"));
        Assert.Equal(["* SORT 1 2 4", "f OK Sort completed."], await client.CommandAsync("f", "SORT (ARRIVAL) UTF-8 SUBJECT lunch"));
        Assert.Equal(["* SORT", "g OK Sort completed."], await client.CommandAsync("g", "SORT (DATE) UTF-8 SUBJECT nothing-matches"));
    }

    [Fact]
    public async Task UidSortAnswersWithUids()
    {
        await using ImapTestServer server = await ServerWithThreadAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", "SELECT INBOX");
        await client.CommandAsync("x", "STORE 1 +FLAGS (\\Deleted)");
        await client.CommandAsync("y", "EXPUNGE");
        Assert.Equal(["* SORT 3 4 2", "a OK Sort completed."], await client.CommandAsync("a", "UID SORT (DATE) UTF-8 ALL"));
        Assert.Equal(["* SORT 2 3 1", "b OK Sort completed."], await client.CommandAsync("b", "SORT (DATE) UTF-8 ALL"));
    }

    [Fact]
    public async Task EsortReturnsMinMaxCountAndAllInSortOrder()
    {
        await using ImapTestServer server = await ServerWithThreadAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", "SELECT INBOX");
        Assert.Equal(["* ESEARCH (TAG \"a\") MIN 3 MAX 2 COUNT 4", "a OK Sort completed."],
            await client.CommandAsync("a", "SORT RETURN (MIN MAX COUNT) (DATE) UTF-8 ALL"));
        Assert.Equal(["* ESEARCH (TAG \"b\") UID ALL 3,1,4,2", "b OK Sort completed."],
            await client.CommandAsync("b", "UID SORT RETURN (ALL) (DATE) UTF-8 ALL"));
        Assert.Equal(["* ESEARCH (TAG \"c\") ALL 1:4", "c OK Sort completed."],
            await client.CommandAsync("c", "SORT RETURN () (ARRIVAL) UTF-8 ALL"));
        Assert.Equal(["* ESEARCH (TAG \"d\") COUNT 0", "d OK Sort completed."],
            await client.CommandAsync("d", "SORT RETURN (MIN COUNT) (DATE) UTF-8 SUBJECT none"));
        Assert.Equal(["* ESEARCH (TAG \"e\") MIN 3", "e OK Sort completed."], await client.CommandAsync("e", "SORT RETURN (SAVE MIN) (DATE) UTF-8 ALL"));
        Assert.Equal(["* SEARCH 3", "f OK Search completed."], await client.CommandAsync("f", "SEARCH $"));
        Assert.Equal(["g OK Sort completed."], await client.CommandAsync("g", "SORT RETURN (SAVE) (REVERSE DATE) UTF-8 SUBJECT lunch"));
        Assert.Equal(["* SEARCH 1 2 4", "h OK Search completed."], await client.CommandAsync("h", "SEARCH $"));
    }

    [Fact]
    public async Task ThreadReferencesLinksRepliesAndMergesSubjects()
    {
        await using ImapTestServer server = await ServerWithThreadAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", "SELECT INBOX");
        Assert.Equal(["* THREAD (3)(1 (4)(2))", "a OK Thread completed."], await client.CommandAsync("a", "THREAD REFERENCES UTF-8 ALL"));
        Assert.Equal(["* THREAD (3)(1 (4)(2))", "b OK Thread completed."], await client.CommandAsync("b", "THREAD ORDEREDSUBJECT UTF-8 ALL"));
        Assert.Equal(["* THREAD (1 (4)(2))", "c OK Thread completed."], await client.CommandAsync("c", "UID THREAD REFERENCES UTF-8 SUBJECT lunch"));
        Assert.Equal(["* THREAD", "d OK Thread completed."], await client.CommandAsync("d", "THREAD REFERENCES UTF-8 SUBJECT nothing"));
    }

    [Fact]
    public async Task BadArgumentsAreAnsweredAndTheSessionGoesOn()
    {
        await using ImapTestServer server = await ServerWithThreadAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["n BAD No mailbox selected."], await client.CommandAsync("n", "SORT (DATE) UTF-8 ALL"));
        await client.CommandAsync("s", "SELECT INBOX");
        Assert.Equal(["a NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset."], await client.CommandAsync("a", "SORT (DATE) KOI8-R ALL"));
        Assert.Equal(["b NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset."], await client.CommandAsync("b", "THREAD REFERENCES KOI8-R ALL"));
        Assert.StartsWith("c BAD ", Assert.Single(await client.CommandAsync("c", "SORT (SHOESIZE) UTF-8 ALL")), StringComparison.Ordinal);
        Assert.StartsWith("d BAD ", Assert.Single(await client.CommandAsync("d", "THREAD BYCOLOUR UTF-8 ALL")), StringComparison.Ordinal);
        Assert.StartsWith("e BAD ", Assert.Single(await client.CommandAsync("e", "SORT (DATE) UTF-8")), StringComparison.Ordinal);
        Assert.Equal(["* SORT 3 1 4 2", "f OK Sort completed."], await client.CommandAsync("f", "SORT (DATE) UTF-8 ALL"));
    }

    [Fact]
    public async Task SortKeysAreComputedOnceAndKeptInTheIndex()
    {
        await using ImapTestServer server = await ServerWithThreadAsync(maildir: true);
        await using (RawImapClient client = await server.ConnectAsync())
        {
            await client.LoginAsync();
            await client.CommandAsync("s", "SELECT INBOX");
            await client.CommandAsync("a", "SORT (SUBJECT) UTF-8 ALL");
        }

        using FolderLease lease = server.Mailboxes.OpenFolder(ImapTestServer.Charlie, "INBOX")!;
        foreach (MessageRecord record in lease.Folder.Current.Messages)
        {
            Assert.NotNull(lease.Folder.GetCached(record.Uid, CachedField.SortKeys));
        }

        // With the files gone the cached keys still answer: no command re-reads a message.
        string cur = Path.Combine(server.Maildirs.GetMaildirPath(ImapTestServer.Charlie), "cur");
        string fresh = Path.Combine(server.Maildirs.GetMaildirPath(ImapTestServer.Charlie), "new");
        foreach (string file in System.IO.Directory.GetFiles(cur).Concat(System.IO.Directory.GetFiles(fresh)))
        {
            await File.WriteAllTextAsync(file, "Subject: changed behind the server's back\r\n\r\n", TestContext.Current.CancellationToken);
        }

        await using RawImapClient again = await server.ConnectAsync();
        await again.LoginAsync();
        await again.CommandAsync("s", "SELECT INBOX");
        Assert.Equal(["* SORT 3 1 2 4", "b OK Sort completed."], await again.CommandAsync("b", "SORT (SUBJECT) UTF-8 ALL"));
    }

    [Fact]
    public async Task KeptSortRanksStayRightAfterNewMailFlagChangesAndExpunges()
    {
        await using ImapTestServer server = await ServerWithThreadAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await using RawImapClient other = await server.ConnectAsync();
        await client.LoginAsync();
        await other.LoginAsync();
        await client.CommandAsync("s", "SELECT INBOX");
        await other.CommandAsync("s", "EXAMINE INBOX");
        Assert.Equal(["* SORT 3 1 2 4", "a OK Sort completed."], await client.CommandAsync("a", "SORT (SUBJECT) UTF-8 ALL"));

        // New subjects and senders before, between and after the ranked ones.
        await server.DeliverAsync(Mail("e@x", "Breakfast", "Mon, 1 Jan 2024 08:00:00 +0000", "Erin <erin@example.org>"));
        await server.DeliverAsync(Mail("f@x", "Aardvark", "Mon, 1 Jan 2024 13:00:00 +0000", "Bob <bob@example.org>"));
        await server.DeliverAsync(Mail("g@x", "Zebra", "Mon, 1 Jan 2024 07:00:00 +0000", "Alice <alice@example.org>"));
        await client.CommandAsync("n", "NOOP");
        await other.CommandAsync("n", "NOOP");
        Assert.Equal(["* SORT 6 5 3 1 2 4 7", "b OK Sort completed."], await client.CommandAsync("b", "SORT (SUBJECT) UTF-8 ALL"));
        Assert.Equal(["* SORT 7 1 2 4 3 5 6", "c OK Sort completed."], await other.CommandAsync("c", "SORT (REVERSE SUBJECT) UTF-8 ALL"));
        Assert.Equal(["* SORT 2 7 6 3 1 4 5", "d OK Sort completed."], await client.CommandAsync("d", "SORT (FROM REVERSE DATE) UTF-8 ALL"));

        // A flag change moves nothing; the expunge renumbers, and the kept ranks of the others still order them.
        await client.CommandAsync("x", "STORE 1 +FLAGS (\\Flagged)");
        await client.CommandAsync("y", "STORE 3 +FLAGS (\\Deleted)");
        await client.CommandAsync("z", "EXPUNGE");
        await other.CommandAsync("n", "NOOP");
        Assert.Equal(["* SORT 5 4 1 2 3 6", "e OK Sort completed."], await client.CommandAsync("e", "SORT (SUBJECT) UTF-8 ALL"));
        Assert.Equal(["* SORT 2 7 6 1 4 5", "f OK Sort completed."], await other.CommandAsync("f", "UID SORT (FROM REVERSE DATE) UTF-8 ALL"));
        Assert.Equal(["* SORT 4 3 1 5 2 6", "g OK Sort completed."], await client.CommandAsync("g", "SORT (REVERSE DISPLAYFROM SUBJECT) UTF-8 ALL"));
        Assert.Equal(["* SORT 1 2 3", "h OK Sort completed."], await other.CommandAsync("h", "SORT (SUBJECT) UTF-8 SUBJECT lunch"));
    }

    [Fact]
    public async Task MailKitSortsAndThreads()
    {
        await using ImapTestServer server = await ServerWithThreadAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Sort));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.SortDisplay));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Thread));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.ESort));
        Assert.Contains(ThreadingAlgorithm.References, client.ThreadingAlgorithms);
        Assert.Contains(ThreadingAlgorithm.OrderedSubject, client.ThreadingAlgorithms);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);

        IList<UniqueId> byDate = await client.Inbox.SortAsync(SearchQuery.All, [OrderBy.Date], ct);
        Assert.Equal([3u, 1u, 4u, 2u], byDate.Select(u => u.Id));
        IList<UniqueId> bySender = await client.Inbox.SortAsync(SearchQuery.SubjectContains("lunch"), [OrderBy.ReverseDisplayFrom], ct);
        Assert.Equal([4u, 1u, 2u], bySender.Select(u => u.Id));
        SearchResults esort = await client.Inbox.SortAsync(SearchOptions.Count | SearchOptions.Min | SearchOptions.Max, SearchQuery.All, [OrderBy.Subject], ct);
        Assert.Equal(4, esort.Count);
        Assert.Equal(3u, esort.Min?.Id);
        Assert.Equal(4u, esort.Max?.Id);

        IList<MessageThread> threads = await client.Inbox.ThreadAsync(ThreadingAlgorithm.References, SearchQuery.All, ct);
        Assert.Equal(2, threads.Count);
        Assert.Equal(3u, threads[0].UniqueId?.Id);
        Assert.Equal(1u, threads[1].UniqueId?.Id);
        Assert.Equal([4u, 2u], threads[1].Children.Select(c => c.UniqueId!.Value.Id));
        IList<MessageThread> bySubject = await client.Inbox.ThreadAsync(ThreadingAlgorithm.OrderedSubject, SearchQuery.All, ct);
        Assert.Equal(2, bySubject.Count);
        await client.DisconnectAsync(quit: true, ct);
    }
}
