using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>CONTEXT=SEARCH and CONTEXT=SORT on the wire (RFC 5267 §4): PARTIAL, UPDATE with ADDTO/REMOVEFROM, CANCELUPDATE, NOUPDATE.</summary>
public sealed class SearchContextTests
{
    private static async Task<ImapTestServer> ServerWithMessagesAsync(int count, Action<ImapOptions>? configure = null)
    {
        ImapTestServer server = await ImapTestServer.StartAsync(configure);
        for (int i = 1; i <= count; i++)
        {
            await server.DeliverAsync(ImapTestServer.Message(i));
        }

        return server;
    }

    private static async Task<RawImapClient> SelectedClientAsync(ImapTestServer server)
    {
        RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", "SELECT INBOX");
        return client;
    }

    private static List<string> Esearch(List<string> lines) => [.. lines.Where(static l => l.StartsWith("* ESEARCH", StringComparison.Ordinal))];

    [Fact]
    public async Task ContextSearchAndSortAreAdvertisedAndMailKitSeesThem()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        string capability = (await client.CommandAsync("a", "CAPABILITY"))[0];
        Assert.Contains(" CONTEXT=SEARCH ", capability + " ", StringComparison.Ordinal);
        Assert.Contains(" CONTEXT=SORT ", capability + " ", StringComparison.Ordinal);

        using ImapClient mailKit = await server.ConnectMailKitAsync();
        Assert.True(mailKit.Capabilities.HasFlag(ImapCapabilities.Context));
        await mailKit.Inbox.OpenAsync(FolderAccess.ReadOnly, TestContext.Current.CancellationToken);
        Assert.Empty(await mailKit.Inbox.SearchAsync(SearchQuery.All, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SearchPartialReturnsTheAskedPositionsOfTheResult()
    {
        await using ImapTestServer server = await ServerWithMessagesAsync(5);
        await using RawImapClient client = await SelectedClientAsync(server);
        Assert.Equal(["* ESEARCH (TAG \"a\") PARTIAL (1:1 1)", "a OK Search completed."], await client.CommandAsync("a", "SEARCH RETURN (PARTIAL 1:1) ALL"));
        Assert.Equal(["* ESEARCH (TAG \"b\") PARTIAL (2:4 2:4)", "b OK Search completed."], await client.CommandAsync("b", "SEARCH RETURN (PARTIAL 4:2) ALL"));
        Assert.Equal(["* ESEARCH (TAG \"c\") PARTIAL (1:6 1:5)", "c OK Search completed."], await client.CommandAsync("c", "SEARCH RETURN (PARTIAL 1:6) ALL"));
        Assert.Equal(["* ESEARCH (TAG \"d\") PARTIAL (6:6 NIL)", "d OK Search completed."], await client.CommandAsync("d", "SEARCH RETURN (PARTIAL 6:6) ALL"));
        Assert.Equal(["* ESEARCH (TAG \"e\") PARTIAL (2:4 2,4:5)", "e OK Search completed."], await client.CommandAsync("e", "SEARCH RETURN (PARTIAL 2:4) 1:2,4:5"));
        Assert.Equal(["* ESEARCH (TAG \"f\") COUNT 4 PARTIAL (1:2 1:2)", "f OK Search completed."],
            await client.CommandAsync("f", "SEARCH RETURN (COUNT PARTIAL 1:2 CONTEXT) 1:2,4:5"));

        await client.CommandAsync("x", "STORE 2 +FLAGS (\\Deleted)");
        await client.CommandAsync("y", "EXPUNGE");
        Assert.Equal(["* ESEARCH (TAG \"g\") UID PARTIAL (2:3 3:4)", "g OK Search completed."], await client.CommandAsync("g", "UID SEARCH RETURN (PARTIAL 2:3) ALL"));
        Assert.Equal(["* ESEARCH (TAG \"h\") UID PARTIAL (5:10 NIL)", "h OK Search completed."], await client.CommandAsync("h", "UID SEARCH RETURN (PARTIAL 5:10) ALL"));
    }

    [Fact]
    public async Task SortPartialReturnsPositionsInSortOrder()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        string[] dates = ["Mon, 1 Jan 2024 10:00:00 +0000", "Mon, 1 Jan 2024 12:00:00 +0000", "Mon, 1 Jan 2024 09:00:00 +0000", "Mon, 1 Jan 2024 11:00:00 +0000"];
        for (int i = 0; i < dates.Length; i++)
        {
            await server.DeliverAsync($"From: a@example.org\nSubject: m{i + 1}\nDate: {dates[i]}\n\nBody.\n");
        }

        await using RawImapClient client = await SelectedClientAsync(server);
        Assert.Equal(["* ESEARCH (TAG \"a\") PARTIAL (1:2 3,1)", "a OK Sort completed."], await client.CommandAsync("a", "SORT RETURN (PARTIAL 1:2) (DATE) UTF-8 ALL"));
        Assert.Equal(["* ESEARCH (TAG \"b\") PARTIAL (2:9 1,4,2)", "b OK Sort completed."], await client.CommandAsync("b", "SORT RETURN (PARTIAL 9:2) (DATE) UTF-8 ALL"));
        Assert.Equal(["* ESEARCH (TAG \"c\") UID PARTIAL (1:2 2,4)", "c OK Sort completed."], await client.CommandAsync("c", "UID SORT RETURN (PARTIAL 1:2) (REVERSE DATE) UTF-8 ALL"));
        Assert.Equal(["* ESEARCH (TAG \"d\") MIN 3 PARTIAL (5:5 NIL)", "d OK Sort completed."], await client.CommandAsync("d", "SORT RETURN (MIN PARTIAL 5:5) (DATE) UTF-8 ALL"));
    }

    [Theory]
    [InlineData("SEARCH RETURN (PARTIAL 1) ALL")]
    [InlineData("SEARCH RETURN (PARTIAL 1:*) ALL")]
    [InlineData("SEARCH RETURN (PARTIAL *:1) ALL")]
    [InlineData("SEARCH RETURN (PARTIAL 0:3) ALL")]
    [InlineData("SEARCH RETURN (PARTIAL 1:4294967296) ALL")]
    [InlineData("SEARCH RETURN (PARTIAL -1:-3) ALL")]
    [InlineData("SEARCH RETURN (PARTIAL) ALL")]
    [InlineData("SEARCH RETURN (PARTIAL 1:2 PARTIAL 3:4) ALL")]
    [InlineData("SEARCH RETURN (ALL PARTIAL 1:2) ALL")]
    [InlineData("SEARCH RETURN (UPDATE UPDATE) ALL")]
    [InlineData("SORT RETURN (PARTIAL 1) (ARRIVAL) US-ASCII ALL")]
    [InlineData("SORT RETURN (PARTIAL 1:*) (ARRIVAL) US-ASCII ALL")]
    [InlineData("UID SORT RETURN (PARTIAL *:1) (ARRIVAL) US-ASCII ALL")]
    [InlineData("CANCELUPDATE")]
    public async Task MalformedContextArgumentsAreBadAndTheSessionGoesOn(string command)
    {
        await using ImapTestServer server = await ServerWithMessagesAsync(2);
        await using RawImapClient client = await SelectedClientAsync(server);
        Assert.StartsWith("a BAD ", Assert.Single(await client.CommandAsync("a", command)), StringComparison.Ordinal);
        Assert.Equal(["* ESEARCH (TAG \"b\") ALL 1:2", "b OK Search completed."], await client.CommandAsync("b", "SEARCH RETURN () ALL"));
    }

    [Fact]
    public async Task UpdateReportsFlagChangesAppendsAndExpungesUntilCancelled()
    {
        await using ImapTestServer server = await ServerWithMessagesAsync(5);
        await using RawImapClient client = await SelectedClientAsync(server);
        Assert.Equal(["* ESEARCH (TAG \"u\")", "u OK Search completed."], await client.CommandAsync("u", "SEARCH RETURN (UPDATE) BODY Hello SEEN"));

        Assert.Equal(["* ESEARCH (TAG \"u\") ADDTO (0 1:2,4)"], Esearch(await client.CommandAsync("a", "STORE 1,2,4 +FLAGS (\\Seen)")));
        Assert.Equal(["* ESEARCH (TAG \"u\") REMOVEFROM (0 1:2)"], Esearch(await client.CommandAsync("b", "STORE 1,2 -FLAGS (\\Seen)")));
        await client.CommandAsync("c", "STORE 3:5 +FLAGS (\\Deleted)");

        // RFC 5267 §4.4.2: the removal names the number the message had, so it comes before the EXPUNGEs renumber it.
        Assert.Equal(["* ESEARCH (TAG \"u\") REMOVEFROM (0 4)", "* 3 EXPUNGE", "* 3 EXPUNGE", "* 3 EXPUNGE", "d OK Expunge completed."],
            await client.CommandAsync("d", "EXPUNGE"));

        string message = ImapTestServer.Message(9).ReplaceLineEndings("\r\n");
        List<string> append = await client.CommandAsync("e", "APPEND INBOX (\\Seen) {" + message.Length + "+}\r\n" + message);
        Assert.Equal("* ESEARCH (TAG \"u\") ADDTO (0 3)", Assert.Single(Esearch(append)));
        Assert.True(append.IndexOf("* 3 EXISTS") < append.IndexOf("* ESEARCH (TAG \"u\") ADDTO (0 3)"));

        Assert.Equal(["f OK Updates cancelled."], await client.CommandAsync("f", "CANCELUPDATE \"u\""));
        Assert.Empty(Esearch(await client.CommandAsync("g", "STORE 1 +FLAGS (\\Seen)")));
        Assert.Equal(["h NO No search context is updated for one of those tags."], await client.CommandAsync("h", "CANCELUPDATE \"u\""));
    }

    [Fact]
    public async Task UidUpdateWithAllReportsChangesMadeByAnotherSession()
    {
        await using ImapTestServer server = await ServerWithMessagesAsync(4);
        await using RawImapClient client = await SelectedClientAsync(server);
        await using RawImapClient other = await SelectedClientAsync(server);
        await client.CommandAsync("x", "STORE 1 +FLAGS (\\Flagged)");
        Assert.Equal(["* ESEARCH (TAG \"u\") UID ALL 1", "u OK Search completed."], await client.CommandAsync("u", "UID SEARCH RETURN (UPDATE ALL) FLAGGED"));

        await other.CommandAsync("a", "STORE 2:3 +FLAGS (\\Flagged)");
        await other.CommandAsync("b", "STORE 1 -FLAGS (\\Flagged)");
        Assert.Equal(["* ESEARCH (TAG \"u\") UID REMOVEFROM (0 1) ADDTO (0 2:3)"], Esearch(await client.CommandAsync("n", "NOOP")));

        await server.DeliverAsync(ImapTestServer.Message(5));
        Assert.Empty(Esearch(await client.CommandAsync("m", "NOOP")));
    }

    [Fact]
    public async Task SortUpdateReportsEachMessageWithItsPositionInSortOrder()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        string[] subjects = ["delta", "alpha", "charlie", "bravo"];
        foreach (string subject in subjects)
        {
            await server.DeliverAsync($"From: a@example.org\nSubject: {subject}\n\nBody.\n");
        }

        await using RawImapClient client = await SelectedClientAsync(server);
        await client.CommandAsync("x", "STORE 1,3 +FLAGS (\\Flagged)");
        Assert.Equal(["* ESEARCH (TAG \"u\") ALL 3,1", "u OK Sort completed."], await client.CommandAsync("u", "SORT RETURN (UPDATE ALL) (SUBJECT) UTF-8 FLAGGED"));

        // alpha (2) goes first, then bravo (4) second, before charlie: each position counts the insertions before it.
        Assert.Equal(["* ESEARCH (TAG \"u\") ADDTO (1 2 2 4)"], Esearch(await client.CommandAsync("a", "STORE 2,4 +FLAGS (\\Flagged)")));
        Assert.Equal(["* ESEARCH (TAG \"u\") REMOVEFROM (3 3)"], Esearch(await client.CommandAsync("b", "STORE 3 -FLAGS (\\Flagged)")));
        await client.CommandAsync("c", "STORE 2 +FLAGS (\\Deleted)");
        Assert.Equal(["* ESEARCH (TAG \"u\") REMOVEFROM (1 2)", "* 2 EXPUNGE", "d OK Expunge completed."], await client.CommandAsync("d", "EXPUNGE"));
        Assert.Equal(["* ESEARCH (TAG \"v\") ALL 3,1", "v OK Sort completed."], await client.CommandAsync("v", "SORT RETURN (ALL) (SUBJECT) UTF-8 FLAGGED"));
    }

    [Fact]
    public async Task UpdatesEndWhenTheMailboxIsUnselected()
    {
        await using ImapTestServer server = await ServerWithMessagesAsync(2);
        await using RawImapClient client = await SelectedClientAsync(server);
        await client.CommandAsync("u", "SEARCH RETURN (UPDATE) SEEN");
        await client.CommandAsync("x", "UNSELECT");
        await client.CommandAsync("y", "SELECT INBOX");
        Assert.Empty(Esearch(await client.CommandAsync("a", "STORE 1 +FLAGS (\\Seen)")));
        Assert.Equal(["b NO No search context is updated for one of those tags."], await client.CommandAsync("b", "CANCELUPDATE \"u\""));
    }

    [Fact]
    public async Task ContextsBeyondTheLimitAreRefusedWithNoupdateButAnswered()
    {
        await using ImapTestServer server = await ServerWithMessagesAsync(2, o => o.MaxSearchUpdateContexts = 1);
        await using RawImapClient client = await SelectedClientAsync(server);
        Assert.Equal(["* ESEARCH (TAG \"u\") COUNT 0", "u OK Search completed."], await client.CommandAsync("u", "SEARCH RETURN (UPDATE COUNT) SEEN"));
        Assert.Equal(["* NO [NOUPDATE \"v\"] At most 1 search contexts are updated.", "* ESEARCH (TAG \"v\") COUNT 2", "v OK Search completed."],
            await client.CommandAsync("v", "SEARCH RETURN (UPDATE COUNT) UNSEEN"));
        Assert.Equal(["* ESEARCH (TAG \"u\") ADDTO (0 1)"], Esearch(await client.CommandAsync("a", "STORE 1 +FLAGS (\\Seen)")));

        // Cancelling frees the place, and a duplicate tag is refused like one too many.
        await client.CommandAsync("c", "CANCELUPDATE \"u\"");
        Assert.Equal("* ESEARCH (TAG \"w\") ALL 1", (await client.CommandAsync("w", "SEARCH RETURN (UPDATE ALL) SEEN"))[0]);
        Assert.StartsWith("* NO [NOUPDATE \"w\"]", (await client.CommandAsync("w", "SEARCH RETURN (UPDATE) SEEN"))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZeroContextsRefusesEveryUpdate()
    {
        await using ImapTestServer server = await ServerWithMessagesAsync(1, o => o.MaxSearchUpdateContexts = 0);
        await using RawImapClient client = await SelectedClientAsync(server);
        Assert.Equal(["* NO [NOUPDATE \"u\"] At most 0 search contexts are updated.", "* ESEARCH (TAG \"u\") ALL 1", "u OK Sort completed."],
            await client.CommandAsync("u", "SORT RETURN (UPDATE ALL) (ARRIVAL) UTF-8 ALL"));
        Assert.Empty(Esearch(await client.CommandAsync("a", "STORE 1 +FLAGS (\\Seen)")));
    }
}
