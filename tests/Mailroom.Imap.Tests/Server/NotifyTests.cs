using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>NOTIFY (RFC 5465): each mailbox specifier and event, as the client sees them on the wire.</summary>
public sealed class NotifyTests
{
    [Fact]
    public async Task StatusIndicatorSendsTheStatusOfEachWatchedMailboxBeforeTheTaggedOk()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("c", "CREATE Lists");
        await client.AppendAsync("Lists", 1);

        List<string> expunge = await client.CommandAsync("a", "NOTIFY SET STATUS (MAILBOXES Lists (MessageExpunge))");
        List<string> messageNew = await client.CommandAsync("b", "NOTIFY SET STATUS (MAILBOXES Lists (MessageNew))");
        List<string> flags = await client.CommandAsync("d", "NOTIFY SET STATUS (MAILBOXES Lists (FlagChange))");
        List<string> quiet = await client.CommandAsync("e", "NOTIFY SET (MAILBOXES (Lists Missing) (MessageNew MessageExpunge FlagChange))");

        Assert.Equal(["* STATUS Lists (MESSAGES 1)", "a OK NOTIFY completed."], expunge);
        Assert.Matches(@"^\* STATUS Lists \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+\)$", messageNew[0]);
        Assert.Matches(@"^\* STATUS Lists \(UIDVALIDITY \d+ HIGHESTMODSEQ \d+\)$", flags[0]);
        Assert.Equal(["e OK NOTIFY completed."], quiet);
    }

    [Fact]
    public async Task ANewMessageInAnotherMailboxReachesAnIdlingClientAsStatus()
    {
        await using TwoSessions s = await TwoSessions.StartAsync();
        await s.Client.CommandAsync("c", "CREATE Lists");
        await s.Client.CommandAsync("s", "SELECT INBOX");
        Assert.Equal(["n OK NOTIFY completed."], await s.Client.CommandAsync("n", "NOTIFY SET (SELECTED (MessageNew MessageExpunge)) (PERSONAL (MessageNew MessageExpunge))"));

        await s.Client.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await s.Client.ReadLineAsync());
        await s.Other.AppendAsync("Lists", 1);

        Assert.Matches(@"^\* STATUS Lists \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+\)$", await s.Client.ReadLineAsync());
        await s.Client.SendAsync("DONE\r\n");
        Assert.Equal(["i OK Idle completed."], await s.Client.ReadUntilTaggedAsync("i"));
    }

    [Fact]
    public async Task ADeliveryToInboxIsReportedToAnInboxesWatcherAtItsNextCommand()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("n", "NOTIFY SET (INBOXES (MessageNew MessageExpunge))");

        await server.DeliverAsync(ImapTestServer.Message(1));
        List<string> noop = await client.CommandAsync("a", "NOOP");

        Assert.Equal(2, noop.Count);
        Assert.Matches(@"^\* STATUS INBOX \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+\)$", noop[0]);
        Assert.Equal(["b OK NOOP completed."], await client.CommandAsync("b", "NOOP"));
    }

    [Fact]
    public async Task ExpungesAndFlagChangesElsewhereAreReportedOnlyWhenAskedFor()
    {
        await using TwoSessions s = await TwoSessions.StartAsync();
        await s.Client.CommandAsync("c", "CREATE Lists");
        await s.Client.AppendAsync("Lists", 1);
        await s.Client.AppendAsync("Lists", 2);
        await s.Client.CommandAsync("n", "NOTIFY SET (MAILBOXES Lists (MessageNew MessageExpunge))");
        await s.Other.CommandAsync("s", "SELECT Lists");

        await s.Other.CommandAsync("f", @"STORE 1 +FLAGS (\Flagged)");
        Assert.Equal(["a OK NOOP completed."], await s.Client.CommandAsync("a", "NOOP"));
        await s.Other.CommandAsync("d", @"STORE 2 +FLAGS (\Deleted)");
        await s.Other.CommandAsync("e", "EXPUNGE");
        Assert.Equal(["* STATUS Lists (MESSAGES 1)", "b OK NOOP completed."], await s.Client.CommandAsync("b", "NOOP"));

        await s.Client.CommandAsync("m", "NOTIFY SET (MAILBOXES Lists (MessageNew MessageExpunge FlagChange))");
        await s.Other.CommandAsync("g", @"STORE 1 -FLAGS (\Flagged)");
        List<string> flags = await s.Client.CommandAsync("c", "NOOP");
        Assert.Matches(@"^\* STATUS Lists \(UIDVALIDITY \d+ HIGHESTMODSEQ \d+\)$", flags[0]);
    }

    [Fact]
    public async Task SubtreeWatchesTheMailboxAndItsChildrenOnly()
    {
        await using TwoSessions s = await TwoSessions.StartAsync();
        await s.Client.CommandAsync("c", "CREATE Projects/Alpha");
        await s.Client.CommandAsync("d", "CREATE Other");
        await s.Client.CommandAsync("n", "NOTIFY SET (SUBTREE Projects (MessageNew MessageExpunge))");

        await s.Other.AppendAsync("Other", 1);
        await s.Other.AppendAsync("Projects/Alpha", 2);
        List<string> noop = await s.Client.CommandAsync("a", "NOOP");

        Assert.Single(noop, static l => l.StartsWith("* STATUS ", StringComparison.Ordinal));
        Assert.StartsWith("* STATUS Projects/Alpha (MESSAGES 1 ", noop.Single(static l => l.StartsWith("* STATUS ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribedWatchesSubscribedMailboxesAndFollowsSubscriptionChanges()
    {
        await using TwoSessions s = await TwoSessions.StartAsync();
        await s.Client.CommandAsync("c", "CREATE Lists");
        await s.Client.CommandAsync("n", "NOTIFY SET (SUBSCRIBED (MessageNew MessageExpunge SubscriptionChange))");

        await s.Other.AppendAsync("Lists", 1);
        Assert.DoesNotContain(await s.Client.CommandAsync("a", "NOOP"), static l => l.StartsWith("* STATUS", StringComparison.Ordinal));
        List<string> subscribe = await s.Client.CommandAsync("b", "SUBSCRIBE Lists");
        await s.Other.AppendAsync("Lists", 2);
        List<string> noop = await s.Client.CommandAsync("d", "NOOP");

        // Subscribing brings the mailbox into the filter: its message so far is news, then the new one.
        Assert.Equal("* LIST (\\Subscribed) \"/\" Lists", subscribe[0]);
        Assert.StartsWith("* STATUS Lists (MESSAGES 1 UIDNEXT 2 ", subscribe[1], StringComparison.Ordinal);
        Assert.Equal("b OK Subscribe completed.", subscribe[2]);
        Assert.StartsWith("* STATUS Lists (MESSAGES 2 ", noop[0], StringComparison.Ordinal);
        Assert.Equal(["* LIST () \"/\" Lists", "e OK Unsubscribe completed."], await s.Client.CommandAsync("e", "UNSUBSCRIBE Lists"));
    }

    [Fact]
    public async Task MailboxNameChangesByAnotherSessionAreListed()
    {
        await using TwoSessions s = await TwoSessions.StartAsync();
        await s.Client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");

        await s.Other.CommandAsync("a", "CREATE Lists");
        await s.Other.CommandAsync("b", "RENAME Lists Letters");
        await s.Other.CommandAsync("c", "DELETE Letters");
        List<string> noop = await s.Client.CommandAsync("d", "NOOP");

        Assert.Equal(
            ["* LIST () \"/\" Lists", "* LIST () \"/\" Letters (\"OLDNAME\" (Lists))", "* LIST (\\NonExistent) \"/\" Letters", "d OK NOOP completed."],
            noop);
    }

    [Fact]
    public async Task SelectedMessageNewPushesTheRequestedFetchWithoutSettingSeen()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.SelectedInboxAsync("IMAP4rev2");
        await client.CommandAsync("n", "NOTIFY SET (SELECTED (MessageNew (UID FLAGS BODY[HEADER.FIELDS (SUBJECT)]) MessageExpunge))");

        await client.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await client.ReadLineAsync());
        await server.DeliverAsync(ImapTestServer.Message(2));

        Assert.Equal("* 2 EXISTS", await client.ReadLineAsync());
        Assert.Equal("* 2 FETCH (UID 2 FLAGS () BODY[HEADER.FIELDS (SUBJECT)] {19}", await client.ReadLineAsync());
        Assert.Equal("Subject: Test 2", await client.ReadLineAsync());
        await client.SendAsync("DONE\r\n");
        await client.ReadUntilTaggedAsync("i");
        Assert.Equal(["* 2 FETCH (FLAGS ())", "f OK Fetch completed."], await client.CommandAsync("f", "FETCH 2 FLAGS"));
    }

    [Fact]
    public async Task SelectedReportsExpungesEvenDuringFetchWhileSelectedDelayedWaits()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverMessagesAsync(2);
        await using RawImapClient immediate = await server.LoggedInAsync();
        await using RawImapClient delayed = await server.LoggedInAsync();
        await using RawImapClient other = await server.LoggedInAsync();
        await immediate.CommandAsync("s", "SELECT INBOX");
        await delayed.CommandAsync("s", "SELECT INBOX");
        await immediate.CommandAsync("n", "NOTIFY SET (SELECTED (MessageNew MessageExpunge))");
        await delayed.CommandAsync("n", "NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge))");

        await other.CommandAsync("s", "SELECT INBOX");
        await other.CommandAsync("d", @"STORE 1 +FLAGS.SILENT (\Deleted)");
        await other.CommandAsync("e", "EXPUNGE");

        Assert.Equal(["* 2 FETCH (UID 2)", "* 1 EXPUNGE", "f OK Fetch completed."], await immediate.CommandAsync("f", "UID FETCH 2 UID"));
        Assert.Equal(["* 2 FETCH (UID 2)", "f OK Fetch completed."], await delayed.CommandAsync("f", "UID FETCH 2 UID"));
        Assert.Equal(["* 1 EXPUNGE", "g OK NOOP completed."], await delayed.CommandAsync("g", "NOOP"));
    }

    [Fact]
    public async Task WithQResyncExpungesOfTheSelectedMailboxAreVanished()
    {
        await using TwoSessions s = await TwoSessions.StartAsync(delivered: 2);
        await s.SelectInboxAsync("QRESYNC");
        await s.Client.CommandAsync("n", "NOTIFY SET (SELECTED (MessageNew MessageExpunge FlagChange))");

        await s.Other.CommandAsync("d", @"STORE 2 +FLAGS.SILENT (\Deleted)");
        await s.Other.CommandAsync("e", "EXPUNGE");

        List<string> fetch = await s.Client.CommandAsync("f", "UID FETCH 1 UID");
        Assert.Equal(["* VANISHED 2", "f OK Fetch completed."], fetch[^2..]);
    }

    [Fact]
    public async Task WithoutFlagChangeOthersFlagChangesOfTheSelectedMailboxAreNotPushed()
    {
        await using TwoSessions s = await TwoSessions.StartAsync(delivered: 1);
        await s.SelectInboxAsync("IMAP4rev2");
        await s.Client.CommandAsync("n", "NOTIFY SET (SELECTED (MessageNew MessageExpunge))");

        await s.Other.CommandAsync("f", @"STORE 1 +FLAGS (\Flagged)");
        Assert.Equal(["a OK NOOP completed."], await s.Client.CommandAsync("a", "NOOP"));

        await s.Client.CommandAsync("m", "NOTIFY SET (SELECTED (MessageNew MessageExpunge FlagChange))");
        await s.Other.CommandAsync("g", @"STORE 1 -FLAGS (\Flagged)");
        Assert.Equal(["* 1 FETCH (UID 1 FLAGS ())", "b OK NOOP completed."], await s.Client.CommandAsync("b", "NOOP"));
    }

    [Fact]
    public async Task NotifyNoneStopsEveryNotification()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("n", "NOTIFY SET (INBOXES (MessageNew MessageExpunge)) (PERSONAL (MailboxName))");

        Assert.Equal(["o OK NOTIFY completed."], await client.CommandAsync("o", "NOTIFY NONE"));
        await server.DeliverAsync(ImapTestServer.Message(1));
        await client.CommandAsync("c", "CREATE Lists");

        Assert.Equal(["a OK NOOP completed."], await client.CommandAsync("a", "NOOP"));
    }

    [Fact]
    public async Task AnotherProgramsDeliveryReachesTheWatcherThroughTheFoldersSharedWatch()
    {
        // The fallback poll is an hour: only the store's file-system watch can bring the news within the wait below.
        await using ImapTestServer server = await ImapTestServer.StartAsync(maildir: true, configureStore: o => o.FolderPollInterval = TimeSpan.FromHours(1));
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("n", "NOTIFY SET (INBOXES (MessageNew MessageExpunge))");
        await client.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await client.ReadLineAsync());

        string maildir = await server.DeliverAsAnotherProgramAsync(1);

        Assert.StartsWith("* STATUS INBOX (MESSAGES 1 UIDNEXT 2 ", await client.ReadLineAsync(), StringComparison.Ordinal);
        await client.SendAsync("DONE\r\n");
        await client.ReadUntilTaggedAsync("i");

        // Watching is not reading: the message is still new mail for the next reader.
        Assert.Single(System.IO.Directory.GetFiles(Path.Combine(maildir, "new")));
    }
}
