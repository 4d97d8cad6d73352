using System.Globalization;
using System.Text.RegularExpressions;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>QRESYNC (RFC 7162 §3.2) on the wire: ENABLE, SELECT/EXAMINE (QRESYNC …), UID FETCH … VANISHED, and VANISHED replacing EXPUNGE.</summary>
public sealed partial class QResyncTests
{
    [Fact]
    public async Task QResyncIsAdvertisedAndEnablingItEnablesCondStore()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();

        Assert.Contains(" QRESYNC", (await client.CommandAsync("c", "CAPABILITY"))[0], StringComparison.Ordinal);
        Assert.Equal(["* ENABLED QRESYNC", "e OK Enabled."], await client.CommandAsync("e", "ENABLE QRESYNC"));
        Assert.Equal(["* ENABLED", "f OK Enabled."], await client.CommandAsync("f", "ENABLE QRESYNC CONDSTORE"));
        Assert.Contains(await client.CommandAsync("s", "SELECT INBOX"), l => l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheQResyncSelectParameterWithoutEnableIsBad()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();

        List<string> reply = await client.CommandAsync("s", "SELECT INBOX (QRESYNC (1 1))");

        Assert.StartsWith("s BAD ", Assert.Single(reply), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT INBOX (QRESYNC (0 1))")]
    [InlineData("SELECT INBOX (QRESYNC (1))")]
    [InlineData("SELECT INBOX (QRESYNC (1 1 $))")]
    [InlineData("SELECT INBOX (QRESYNC (1 1 1:3 (1:2)))")]
    [InlineData("SELECT INBOX (QRESYNC (1 1) QRESYNC (1 1))")]
    [InlineData("SELECT INBOX (QRESYNC (1 1)")]
    public async Task AMalformedQResyncParameterIsBad(string command)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("e", "ENABLE QRESYNC");

        Assert.StartsWith("s BAD ", (await client.CommandAsync("s", command))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelectWithQResyncReportsWhatVanishedAndWhichFlagsChangedSinceTheModSeq()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        (uint validity, ulong modSeq) = await PrepareAsync(server);

        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("e", "ENABLE QRESYNC");
        List<string> select = await client.CommandAsync("s", Invariant($"SELECT INBOX (QRESYNC ({validity} {modSeq}))"));

        Assert.Contains("* VANISHED (EARLIER) 3", select);
        Assert.Single(select, l => l.Contains(" FETCH ", StringComparison.Ordinal));
        Assert.Matches(@"^\* 2 FETCH \(UID 2 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$", select.Single(l => l.Contains(" FETCH ", StringComparison.Ordinal)));
        // RFC 7162 §3.2.5.2: the resynchronization follows HIGHESTMODSEQ and precedes the tagged OK.
        Assert.True(select.FindIndex(l => l.StartsWith("* OK [HIGHESTMODSEQ", StringComparison.Ordinal)) < select.IndexOf("* VANISHED (EARLIER) 3"));
        Assert.Equal("s OK [READ-WRITE] Select completed.", select[^1]);
    }

    [Fact]
    public async Task ExamineWithQResyncResynchronizesToo()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        (uint validity, ulong modSeq) = await PrepareAsync(server);

        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("e", "ENABLE QRESYNC");
        List<string> examine = await client.CommandAsync("x", Invariant($"EXAMINE INBOX (QRESYNC ({validity} {modSeq}))"));

        Assert.Contains("* VANISHED (EARLIER) 3", examine);
        Assert.Equal("x OK [READ-ONLY] Examine completed.", examine[^1]);
    }

    [Fact]
    public async Task AnotherUidValidityGetsNoResynchronization()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        (uint validity, ulong modSeq) = await PrepareAsync(server);

        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("e", "ENABLE QRESYNC");
        List<string> select = await client.CommandAsync("s", Invariant($"SELECT INBOX (QRESYNC ({validity + 1} {modSeq}))"));

        Assert.DoesNotContain(select, l => l.StartsWith("* VANISHED", StringComparison.Ordinal) || l.Contains(" FETCH ", StringComparison.Ordinal));
        Assert.Equal("s OK [READ-WRITE] Select completed.", select[^1]);
    }

    [Fact]
    public async Task KnownUidsLimitWhatIsReported()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        (uint validity, ulong modSeq) = await PrepareAsync(server);

        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("e", "ENABLE QRESYNC");
        List<string> onlyFirst = await client.CommandAsync("s", Invariant($"SELECT INBOX (QRESYNC ({validity} {modSeq} 1))"));
        List<string> upToThree = await client.CommandAsync("t", Invariant($"SELECT INBOX (QRESYNC ({validity} {modSeq} 3:1))"));

        Assert.DoesNotContain(onlyFirst, l => l.StartsWith("* VANISHED", StringComparison.Ordinal) || l.Contains(" FETCH ", StringComparison.Ordinal));
        Assert.Contains("* VANISHED (EARLIER) 3", upToThree);
        Assert.Single(upToThree, l => l.StartsWith("* 2 FETCH (UID 2 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithinTheStoresMemoryOnlyTheExpungesAfterTheModSeqAreReported()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(configureStore: s => s.ExpungedUidMemory = 2);
        (uint validity, ulong modSeq) = await PrepareAsync(server, expungeFirstEarlier: true);

        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("e", "ENABLE QRESYNC");

        Assert.Contains("* VANISHED (EARLIER) 3", await client.CommandAsync("s", Invariant($"SELECT INBOX (QRESYNC ({validity} {modSeq}))")));
    }

    [Fact]
    public async Task PastTheStoresMemoryEveryAbsentUidIsReported()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(configureStore: s => s.ExpungedUidMemory = 0);
        (uint validity, ulong modSeq) = await PrepareAsync(server, expungeFirstEarlier: true);

        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("e", "ENABLE QRESYNC");
        List<string> all = await client.CommandAsync("s", Invariant($"SELECT INBOX (QRESYNC ({validity} {modSeq}))"));
        List<string> known = await client.CommandAsync("k", Invariant($"SELECT INBOX (QRESYNC ({validity} {modSeq} 2:4))"));

        // UID 1 went before the client's mod-sequence: the larger answer RFC 7162 §3.2.5.1 allows, never a smaller one.
        Assert.Contains("* VANISHED (EARLIER) 1,3", all);
        Assert.Contains("* VANISHED (EARLIER) 3", known);
    }

    [Fact]
    public async Task SequenceMatchDataNarrowsTheAnswerPastTheStoresMemory()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(configureStore: s => s.ExpungedUidMemory = 0);
        (uint validity, ulong modSeq) = await PrepareAsync(server, expungeFirstEarlier: true);

        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("e", "ENABLE QRESYNC");

        // The client had UIDs 2, 3, 4 at 1, 2, 3: number 1 still holds UID 2, so nothing up to UID 2 vanished.
        List<string> matched = await client.CommandAsync("s", Invariant($"SELECT INBOX (QRESYNC ({validity} {modSeq} (1:2 2:3)))"));
        // A pair that no longer matches proves nothing: the whole larger set again.
        List<string> unmatched = await client.CommandAsync("t", Invariant($"SELECT INBOX (QRESYNC ({validity} {modSeq} 1:4 (1 3)))"));

        Assert.Contains("* VANISHED (EARLIER) 3", matched);
        Assert.Contains("* VANISHED (EARLIER) 1,3", unmatched);
    }

    [Fact]
    public async Task UidFetchWithVanishedReportsTheExpungedUidsOfTheSetBeforeTheChanges()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        (_, ulong modSeq) = await PrepareAsync(server);

        await using RawImapClient client = await server.SelectedInboxAsync("QRESYNC");
        List<string> fetch = await client.CommandAsync("f", Invariant($"UID FETCH 1:* (FLAGS) (CHANGEDSINCE {modSeq} VANISHED)"));
        List<string> part = await client.CommandAsync("g", Invariant($"UID FETCH 1:2 (FLAGS) (CHANGEDSINCE {modSeq} VANISHED)"));

        Assert.Equal("* VANISHED (EARLIER) 3", fetch[0]);
        Assert.Matches(@"^\* 2 FETCH \(UID 2 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$", fetch[1]);
        Assert.Equal("f OK Fetch completed.", fetch[^1]);
        Assert.Equal(2, fetch.Count - 1);
        Assert.DoesNotContain(part, l => l.StartsWith("* VANISHED", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)")]
    [InlineData("UID FETCH 1:* (FLAGS) (VANISHED)")]
    public async Task VanishedOutsideUidFetchWithChangedSinceIsBad(string command)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.SelectedInboxAsync("QRESYNC");

        Assert.StartsWith("f BAD ", (await client.CommandAsync("f", command))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task VanishedWithoutEnableIsBad()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("s", "SELECT INBOX");

        Assert.StartsWith("f BAD ", (await client.CommandAsync("f", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnceEnabledExpungeMoveAndUidExpungeAnswerVanishedInsteadOfExpunge()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverMessagesAsync(4);

        await using RawImapClient client = await server.SelectedInboxAsync("QRESYNC");
        await client.CommandAsync("d", "STORE 1:2,4 +FLAGS.SILENT (\\Deleted)");

        // RFC 7162 §3.2.7: the tagged OK of an EXPUNGE that removed messages carries the new HIGHESTMODSEQ.
        List<string> uidExpunge = await client.CommandAsync("u", "UID EXPUNGE 4");
        Assert.Equal("* VANISHED 4", uidExpunge[0]);
        Assert.Matches(@"^u OK \[HIGHESTMODSEQ \d+\] Expunge completed\.$", Assert.Single(uidExpunge[1..]));
        List<string> expunge = await client.CommandAsync("x", "EXPUNGE");
        Assert.Equal("* VANISHED 1:2", expunge[0]);
        Assert.Matches(@"^x OK \[HIGHESTMODSEQ \d+\] Expunge completed\.$", Assert.Single(expunge[1..]));
        Assert.True(ModSeqs.Highest(expunge[1]) > ModSeqs.Highest(uidExpunge[1]));
        List<string> move = await client.CommandAsync("m", "MOVE 1 Archive");
        Assert.StartsWith("* OK [COPYUID ", move[0], StringComparison.Ordinal);
        Assert.Equal(["* VANISHED 3", "m OK Move completed."], move[1..]);
    }

    [Fact]
    public async Task AnotherSessionsExpungeReachesAQResyncSessionAsVanishedOnNoopAndInIdle()
    {
        await using TwoSessions sessions = await TwoSessions.StartAsync(delivered: 3);
        (RawImapClient watcher, RawImapClient other) = (sessions.Client, sessions.Other);
        await watcher.CommandAsync("e", "ENABLE QRESYNC");
        await watcher.CommandAsync("s", "SELECT INBOX");
        await other.CommandAsync("s", "SELECT INBOX");

        await other.CommandAsync("d", "UID STORE 2 +FLAGS.SILENT (\\Deleted)");
        await other.CommandAsync("x", "EXPUNGE");
        List<string> noop = await watcher.CommandAsync("n", "NOOP");
        Assert.Equal("* VANISHED 2", noop[^2]);

        await watcher.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await watcher.ReadLineAsync());
        await other.CommandAsync("d2", "UID STORE 3 +FLAGS.SILENT (\\Deleted)");
        await other.CommandAsync("x2", "EXPUNGE");
        string? line;
        do
        {
            line = await watcher.ReadLineAsync();
        }
        while (line is not null && line.Contains(" FETCH ", StringComparison.Ordinal));

        Assert.Equal("* VANISHED 3", line);
        await watcher.SendAsync("DONE\r\n");
        Assert.Equal("i OK Idle completed.", (await watcher.ReadUntilTaggedAsync("i"))[^1]);
    }

    [Fact]
    public async Task OnceEnabledEveryFetchResponseCarriesTheUid()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.SelectedInboxAsync("QRESYNC");

        Assert.Matches(@"^\* 1 FETCH \(UID 1 MODSEQ \(\d+\)\)$", (await client.CommandAsync("a", "STORE 1 +FLAGS.SILENT (\\Seen)"))[0]);
        Assert.Matches(@"^\* 1 FETCH \(UID 1 FLAGS \(.*\\Flagged.*\) MODSEQ \(\d+\)\)$", (await client.CommandAsync("b", "STORE 1 +FLAGS (\\Flagged)"))[0]);
        Assert.Matches(@"^\* 1 FETCH \(UID 1 RFC822\.SIZE \d+\)$", (await client.CommandAsync("c", "FETCH 1 RFC822.SIZE"))[0]);
    }

    [Fact]
    public async Task WithoutQResyncExpungesStayExpungeResponses()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.SelectedInboxAsync("CONDSTORE");
        await client.CommandAsync("d", "STORE 1 +FLAGS.SILENT (\\Deleted)");

        Assert.Equal(["* 1 EXPUNGE", "x OK Expunge completed."], await client.CommandAsync("x", "EXPUNGE"));
    }

    [Fact]
    public async Task SelectingAnotherMailboxSendsClosedBeforeItsResponses()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.SelectedInboxAsync("QRESYNC");

        List<string> select = await client.CommandAsync("t", "SELECT Archive (QRESYNC (1 1))");

        Assert.Equal("* OK [CLOSED] Previous mailbox closed.", select[0]);
        Assert.Equal("t OK [READ-WRITE] Select completed.", select[^1]);
    }

    /// <summary>
    /// Four messages; a first session (the client's last look) notes UIDVALIDITY and HIGHESTMODSEQ, then message 2 is
    /// flagged and message 3 expunged. With <paramref name="expungeFirstEarlier"/>, UID 1 is expunged before the look.
    /// </summary>
    private static async Task<(uint Validity, ulong ModSeq)> PrepareAsync(ImapTestServer server, bool expungeFirstEarlier = false)
    {
        await server.DeliverMessagesAsync(4);

        await using RawImapClient client = await server.LoggedInAsync();
        if (expungeFirstEarlier)
        {
            await client.CommandAsync("p", "SELECT INBOX");
            await client.CommandAsync("q", "UID STORE 1 +FLAGS.SILENT (\\Deleted)");
            await client.CommandAsync("r", "EXPUNGE");
        }

        List<string> select = await client.CommandAsync("s", "SELECT INBOX (CONDSTORE)");
        uint validity = uint.Parse(UidValidity().Match(string.Join('\n', select)).Groups[1].Value, CultureInfo.InvariantCulture);
        ulong modSeq = ModSeqs.Highest(string.Join('\n', select));
        await client.CommandAsync("f", "UID STORE 2 +FLAGS.SILENT (\\Flagged)");
        await client.CommandAsync("d", "UID STORE 3 +FLAGS.SILENT (\\Deleted)");
        await client.CommandAsync("x", "EXPUNGE");
        await client.CommandAsync("l", "LOGOUT");
        return (validity, modSeq);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\[UIDVALIDITY (\d+)\]")]
    private static partial Regex UidValidity();
}
