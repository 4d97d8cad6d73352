using System.Globalization;
using System.Text.RegularExpressions;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// RFC 7162 §3.2 (RFC 5162 erratum 1810): while an expunge by another session cannot be reported (FETCH, STORE, SEARCH
/// by sequence number), the HIGHESTMODSEQ this session is given stays below that expunge's mod-sequence, so a client
/// that loses the connection resynchronizes from a point that still finds the expunge.
/// </summary>
public sealed partial class DelayedExpungeModSeqTests
{
    [Fact]
    public async Task AFetchShowingModSeqsAboveAnUnreportedExpungeEndsWithAHighestModSeqBelowIt()
    {
        await using TwoSessions sessions = await QResyncSessionsAsync();
        ulong expungeModSeq = await ExpungeUid2ThenFlagUid3Async(sessions);

        List<string> fetch = await sessions.Client.CommandAsync("f", "FETCH 1:3 (FLAGS)");

        Assert.DoesNotContain(fetch, static l => l.StartsWith("* VANISHED", StringComparison.Ordinal));
        Assert.Contains(fetch, IsFlaggedUid3);
        string lowered = Assert.Single(fetch, static l => l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal));
        Assert.True(ModSeqs.Highest(lowered) < expungeModSeq, $"{lowered} must lie below the expunge's mod-sequence {expungeModSeq}");
        Assert.Equal(fetch.Count - 2, fetch.IndexOf(lowered));
        Assert.Equal("f OK Fetch completed.", fetch[^1]);

        List<string> noop = await sessions.Client.CommandAsync("n", "NOOP");
        Assert.Contains("* VANISHED 2", noop);
        Assert.DoesNotContain(noop, static l => l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStoreWhileAnExpungeIsPendingEndsWithAHighestModSeqBelowTheExpunge()
    {
        await using TwoSessions sessions = await QResyncSessionsAsync();
        await sessions.Other.CommandAsync("d", "UID STORE 2 +FLAGS.SILENT (\\Deleted)");
        ulong expungeModSeq = ModSeqs.Highest((await sessions.Other.CommandAsync("x", "EXPUNGE"))[^1]);

        List<string> store = await sessions.Client.CommandAsync("s", "STORE 1 +FLAGS (\\Seen)");

        Assert.True(ModSeqs.OfFetch(store[0]) > expungeModSeq);
        Assert.True(ModSeqs.Highest(Assert.Single(store, static l => l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal))) < expungeModSeq);
        Assert.DoesNotContain(store, static l => l.StartsWith("* VANISHED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithNoExpungePendingAFetchShowingNewModSeqsSendsNoHighestModSeq()
    {
        await using TwoSessions sessions = await QResyncSessionsAsync();
        await sessions.Other.CommandAsync("a", "UID STORE 3 +FLAGS.SILENT (\\Flagged)");

        List<string> fetch = await sessions.Client.CommandAsync("f", "FETCH 1:3 (FLAGS)");

        Assert.Contains(fetch, IsFlaggedUid3);
        Assert.DoesNotContain(fetch, static l => l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatusOfTheSelectedMailboxReportsThePendingExpungeBeforeItsHighestModSeq()
    {
        await using TwoSessions sessions = await QResyncSessionsAsync();
        ulong expungeModSeq = await ExpungeUid2ThenFlagUid3Async(sessions);
        await sessions.Client.CommandAsync("f", "FETCH 1:3 (FLAGS)");

        List<string> status = await sessions.Client.CommandAsync("t", "STATUS INBOX (MESSAGES HIGHESTMODSEQ)");

        int vanished = status.IndexOf("* VANISHED 2");
        int line = status.FindIndex(static l => l.StartsWith("* STATUS INBOX ", StringComparison.Ordinal));
        Assert.InRange(vanished, 0, line - 1);
        Match values = StatusValues().Match(status[line]);
        Assert.Equal("2", values.Groups[1].Value);
        Assert.True(ulong.Parse(values.Groups[2].Value, CultureInfo.InvariantCulture) > expungeModSeq);
    }

    [Fact]
    public async Task ACondStoreEnablingFetchWhileAnExpungeIsPendingReportsTheLowerHighestModSeq()
    {
        await using TwoSessions sessions = await TwoSessions.StartAsync(delivered: 3);
        RawImapClient watcher = sessions.Client;
        RawImapClient other = sessions.Other;
        await watcher.CommandAsync("s", "SELECT INBOX");
        await other.CommandAsync("e", "ENABLE QRESYNC");
        await other.CommandAsync("s", "SELECT INBOX");
        await other.CommandAsync("d", "UID STORE 2 +FLAGS.SILENT (\\Deleted)");
        ulong expungeModSeq = ModSeqs.Highest((await other.CommandAsync("x", "EXPUNGE"))[^1]);
        await watcher.CommandAsync("f", "FETCH 1 (FLAGS)");

        List<string> fetch = await watcher.CommandAsync("m", "FETCH 1 (MODSEQ)");

        Assert.True(ModSeqs.Highest(Assert.Single(fetch, static l => l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal))) < expungeModSeq);
        Assert.DoesNotContain(fetch, static l => l.EndsWith(" EXPUNGE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACloseThatExpungesReportsTheNewHighestModSeqAndOneThatRemovesNothingDoesNot()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverMessagesAsync(2);
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("e", "ENABLE QRESYNC");
        ulong before = ModSeqs.Highest(Assert.Single(await client.CommandAsync("s", "SELECT INBOX"), static l => l.Contains("[HIGHESTMODSEQ ", StringComparison.Ordinal)));
        await client.CommandAsync("d", "STORE 1 +FLAGS.SILENT (\\Deleted)");

        List<string> close = await client.CommandAsync("c", "CLOSE");

        Assert.Matches(@"^c OK \[HIGHESTMODSEQ \d+\] Close completed\.$", Assert.Single(close));
        Assert.True(ModSeqs.Highest(close[0]) > before);
        await client.CommandAsync("s2", "SELECT INBOX");
        Assert.Equal(["c2 OK Close completed."], await client.CommandAsync("c2", "CLOSE"));
    }

    private static bool IsFlaggedUid3(string line) =>
        line.StartsWith("* 3 FETCH (UID 3 FLAGS (", StringComparison.Ordinal) && line.Contains("\\Flagged", StringComparison.Ordinal)
        && line.Contains(" MODSEQ (", StringComparison.Ordinal);

    [GeneratedRegex(@"\(MESSAGES (\d+) HIGHESTMODSEQ (\d+)\)")]
    private static partial Regex StatusValues();

    /// <summary>Three messages; a QRESYNC client and another session, both with INBOX selected.</summary>
    private static async Task<TwoSessions> QResyncSessionsAsync()
    {
        TwoSessions sessions = await TwoSessions.StartAsync(delivered: 3);
        await sessions.SelectInboxAsync(enable: "QRESYNC");
        return sessions;
    }

    /// <summary>The other session expunges UID 2, then flags UID 3 (a mod-sequence above the expunge's); returns the expunge's.</summary>
    private static async Task<ulong> ExpungeUid2ThenFlagUid3Async(TwoSessions sessions)
    {
        await sessions.Other.CommandAsync("d", "UID STORE 2 +FLAGS.SILENT (\\Deleted)");
        ulong expunge = ModSeqs.Highest((await sessions.Other.CommandAsync("x", "EXPUNGE"))[^1]);
        await sessions.Other.CommandAsync("g", "UID STORE 3 +FLAGS.SILENT (\\Flagged)");
        return expunge;
    }
}
