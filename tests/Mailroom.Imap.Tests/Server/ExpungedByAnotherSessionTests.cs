using Mailroom.Imap.Tests.Server.Support;
using Mailroom.Store;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// A message another session expunged is still numbered here until a command may report the EXPUNGE (RFC 3501
/// §7.4.1). Meanwhile FETCH, SEARCH, SORT and THREAD answer for it as before the expunge (RFC 2180 §4.1.1: the store
/// holds its content for this session), on the Maildir and the in-memory store alike; where the content cannot be had
/// (removed by another program, or past Store:MaxHeldExpungedMessages), RFC 2180 §4.1.3: FETCH answers NO and SEARCH
/// leaves it out with OK [EXPUNGEISSUED], the same way every time.
/// </summary>
public sealed class ExpungedByAnotherSessionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SearchesNeedingTheContentStillFindAMessageExpungedByAnotherSession(bool maildir)
    {
        await using TwoSessions s = await StartAsync(maildir);
        await ExpungeSecondByTheOtherAsync(s);

        Assert.Equal(["* SEARCH 2", "a OK Search completed."], await s.Client.CommandAsync("a", "SEARCH SUBJECT \"Test 2\""));
        Assert.Equal(["* SEARCH 1 2 3", "b OK Search completed."], await s.Client.CommandAsync("b", "SEARCH TEXT \"Hello\" SENTBEFORE 1-Jan-2000"));
        Assert.Equal(["* SEARCH 1 3", "c OK Search completed."], await s.Client.CommandAsync("c", "SEARCH NOT HEADER Message-ID \"<2@example.net>\""));
        Assert.Equal(["* SEARCH 2", "d OK Search completed."], await s.Client.CommandAsync("d", "UID SEARCH FROM sender LARGER 10 BODY Hello SUBJECT \"Test 2\""));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SortAndThreadStillOrderAMessageExpungedByAnotherSession(bool maildir)
    {
        await using TwoSessions s = await StartAsync(maildir);
        await ExpungeSecondByTheOtherAsync(s);

        Assert.Equal(["* SORT 3 2 1", "a OK Sort completed."], await s.Client.CommandAsync("a", "SORT (REVERSE SUBJECT) US-ASCII ALL"));
        Assert.Equal(["* SORT 2", "b OK Sort completed."], await s.Client.CommandAsync("b", "SORT (FROM) US-ASCII SUBJECT \"Test 2\""));
        Assert.Equal(["* THREAD (1)(2)(3)", "c OK Thread completed."], await s.Client.CommandAsync("c", "THREAD ORDEREDSUBJECT US-ASCII ALL"));
        Assert.Equal(["* THREAD (1)(2)(3)", "d OK Thread completed."], await s.Client.CommandAsync("d", "THREAD REFERENCES US-ASCII ALL"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FetchStillAnswersForAMessageExpungedByAnotherSessionUntilTheExpungeIsReported(bool maildir)
    {
        await using TwoSessions s = await StartAsync(maildir);
        await ExpungeSecondByTheOtherAsync(s);

        List<string> fetch = await s.Client.CommandAsync("f", "FETCH 2 (RFC822.SIZE ENVELOPE BODY.PEEK[HEADER.FIELDS (SUBJECT)])");

        Assert.Equal("f OK Fetch completed.", fetch[^1]);
        Assert.Contains(fetch, static l => l.StartsWith("* 2 FETCH (", StringComparison.Ordinal) && l.Contains("\"Test 2\"", StringComparison.Ordinal));
        Assert.Equal(1, HeldInInbox(s));

        List<string> noop = await s.Client.CommandAsync("n", "NOOP");

        Assert.Equal(["* 2 EXPUNGE", "n OK NOOP completed."], noop);
        Assert.Equal(0, HeldInInbox(s));
        Assert.Equal(["g OK Fetch completed."], await s.Client.CommandAsync("g", "UID FETCH 2 BODY.PEEK[]"));
    }

    [Fact]
    public async Task LoggingOutReleasesWhatWasHeldForTheSession()
    {
        await using TwoSessions s = await StartAsync(maildir: true);
        await ExpungeSecondByTheOtherAsync(s);
        Assert.Equal("f OK Fetch completed.", (await s.Client.CommandAsync("f", "FETCH 2 BODY.PEEK[]"))[^1]);

        await s.Client.CommandAsync("l", "LOGOUT");

        for (int i = 0; i < 3000 && HeldInInbox(s) > 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, HeldInInbox(s));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PastTheBoundOnHeldMessagesSearchLeavesTheMessageOutAndSaysExpungeIssuedEveryTime(bool maildir)
    {
        await using TwoSessions s = await StartAsync(maildir, static store => store.MaxHeldExpungedMessages = 0);
        await ExpungeSecondByTheOtherAsync(s);

        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(["* SEARCH 1 3", "a OK [EXPUNGEISSUED] Search completed."], await s.Client.CommandAsync("a", "SEARCH TEXT \"Hello\""));
            Assert.Equal(["* SEARCH", "b OK [EXPUNGEISSUED] Search completed."], await s.Client.CommandAsync("b", "SEARCH SUBJECT \"Test 2\""));
            Assert.Equal(["* SEARCH 1 2 3", "c OK Search completed."], await s.Client.CommandAsync("c", "SEARCH ALL"));
            Assert.Equal(["* SORT 1 3", "d OK [EXPUNGEISSUED] Sort completed."], await s.Client.CommandAsync("d", "SORT (SUBJECT) US-ASCII BODY Hello"));
            Assert.Equal("e OK [EXPUNGEISSUED] Thread completed.", (await s.Client.CommandAsync("e", "THREAD REFERENCES US-ASCII BODY Hello"))[^1]);
            Assert.Equal("f NO [EXPUNGEISSUED] Some of the requested messages no longer exist.", (await s.Client.CommandAsync("f", "FETCH 2 BODY.PEEK[]"))[^1]);
        }

        Assert.Equal(["* 2 EXPUNGE", "n OK NOOP completed."], await s.Client.CommandAsync("n", "NOOP"));
    }

    [Fact]
    public async Task AMessageFileAnotherProgramRemovedIsLeftOutOfSearchesWithExpungeIssued()
    {
        await using TwoSessions s = await StartAsync(maildir: true);
        string cur = Path.Combine(s.Server.Maildirs.GetMaildirPath(ImapTestServer.Charlie), "cur");
        string second = Assert.Single(System.IO.Directory.GetFiles(cur), static f => File.ReadAllText(f).Contains("Subject: Test 2", StringComparison.Ordinal));

        File.Delete(second);

        Assert.Equal(["* SEARCH 1 3", "a OK [EXPUNGEISSUED] Search completed."], await s.Client.CommandAsync("a", "SEARCH BODY Hello"));
        Assert.Equal(["* SEARCH 1 3", "b OK [EXPUNGEISSUED] Search completed."], await s.Client.CommandAsync("b", "SEARCH BODY Hello"));
    }

    /// <summary>Charlie twice on INBOX with messages "Test 1" to "Test 3": the session under test and the one that expunges.</summary>
    private static async Task<TwoSessions> StartAsync(bool maildir, Action<StoreOptions>? configureStore = null)
    {
        TwoSessions sessions = await TwoSessions.StartAsync(delivered: 3, maildir: maildir, configureStore: configureStore);
        await sessions.SelectInboxAsync();
        return sessions;
    }

    /// <summary>The other session expunges message 2; the session under test has not been told.</summary>
    private static async Task ExpungeSecondByTheOtherAsync(TwoSessions s)
    {
        await s.Other.CommandAsync("d", "STORE 2 +FLAGS.SILENT (\\Deleted)");
        Assert.Equal(["* 2 EXPUNGE", "x OK Expunge completed."], await s.Other.CommandAsync("x", "EXPUNGE"));
    }

    private static int HeldInInbox(TwoSessions s)
    {
        using FolderLease inbox = s.Server.Mailboxes.OpenFolder(ImapTestServer.Charlie, "INBOX")!;
        return inbox.Folder.HeldExpungedCount;
    }
}
