using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>NOTIFY's refusals (RFC 5465 §3, §5) and its limits, both sides of each.</summary>
public sealed class NotifyRefusalTests
{
    private const string BadEvent = "NO [BADEVENT (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange)]";

    [Theory]
    [InlineData("NOTIFY SET (PERSONAL (AnnotationChange))", "AnnotationChange")]
    [InlineData("NOTIFY SET (PERSONAL (MessageNew MessageExpunge MailboxMetadataChange))", "MailboxMetadataChange")]
    [InlineData("NOTIFY SET (PERSONAL (ServerMetadataChange))", "ServerMetadataChange")]
    [InlineData("NOTIFY SET (SELECTED (MessageNew MessageExpunge AnnotationChange))", "AnnotationChange")]
    [InlineData("NOTIFY SET (INBOXES (SomethingElse))", "SomethingElse")]
    public async Task EventsThisServerCannotReportAreRefusedWithBadEvent(string command, string named)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();

        Assert.Equal(["a " + BadEvent + " Unsupported event: " + named], await client.CommandAsync("a", command));
    }

    [Theory]
    [InlineData("NOTIFY SET (SELECTED (MessageNew))")]
    [InlineData("NOTIFY SET (SELECTED (MessageExpunge))")]
    [InlineData("NOTIFY SET (SELECTED-DELAYED (FlagChange))")]
    [InlineData("NOTIFY SET (SELECTED (MessageNew MessageExpunge MailboxName))")]
    [InlineData("NOTIFY SET (PERSONAL (MessageNew (UID) MessageExpunge))")]
    [InlineData("NOTIFY SET (SELECTED (MessageNew MessageExpunge)) (SELECTED-DELAYED (MessageNew MessageExpunge))")]
    [InlineData("NOTIFY SET (EVERYWHERE (MessageNew MessageExpunge))")]
    [InlineData("NOTIFY SET (SUBTREE (MessageNew))")]
    [InlineData("NOTIFY SET PERSONAL (MessageNew)")]
    [InlineData("NOTIFY SET")]
    [InlineData("NOTIFY SOMETIMES")]
    [InlineData("NOTIFY NONE extra")]
    [InlineData("NOTIFY SET (SELECTED (MessageNew (NOSUCHITEM) MessageExpunge))")]
    public async Task BrokenRulesAndSyntaxAreBad(string command)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();

        Assert.StartsWith("a BAD ", Assert.Single(await client.CommandAsync("a", command)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyNeedsLogin()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();

        Assert.Equal(["a BAD Not authenticated."], await client.CommandAsync("a", "NOTIFY NONE"));
    }

    [Fact]
    public async Task ARefusedNotifyLeavesTheNotificationsInEffect()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");
        await client.CommandAsync("b", "NOTIFY SET (PERSONAL (AnnotationChange))");

        List<string> create = await client.CommandAsync("c", "CREATE Lists");

        Assert.Equal(2, create.Count);
        Assert.Equal("* LIST () \"/\" Lists", create[0]);
        Assert.StartsWith("c OK ", create[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PendingNotificationsUpToTheLimitAreAllDelivered()
    {
        await using TwoSessions s = await TwoSessions.StartAsync(configure: o => o.MaxPendingNotifications = 3);
        List<string> noop = await NoopAfterOthersCreateFoldersAsync(s, 3);
        Assert.Equal(["* LIST () \"/\" Folder1", "* LIST () \"/\" Folder2", "* LIST () \"/\" Folder3", "a OK NOOP completed."], noop);
    }

    [Fact]
    public async Task OneNotificationPastTheLimitOverflowsAndEndsNotify()
    {
        await using TwoSessions s = await TwoSessions.StartAsync(configure: o => o.MaxPendingNotifications = 3);
        await s.Client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");

        // Between commands events are pushed as they happen; inside one (here waiting for a literal) they queue up.
        await s.Client.SendAsync("a LIST \"\" {6}\r\n");
        Assert.StartsWith("+ ", await s.Client.ReadLineAsync(), StringComparison.Ordinal);
        for (int i = 1; i <= 4; i++)
        {
            await s.Other.CommandAsync("c", "CREATE Folder" + i);
        }

        await s.Client.SendAsync("Nobody\r\n");
        List<string> list = await s.Client.ReadUntilTaggedAsync("a");
        Assert.Equal(["* OK [NOTIFICATIONOVERFLOW] Too many notifications pending, NOTIFY is off.", "a OK List completed."], list);

        // RFC 5465 §5.8: as after NOTIFY NONE.
        await s.Other.CommandAsync("d", "CREATE Folder5");
        Assert.Equal(["b OK NOOP completed."], await s.Client.CommandAsync("b", "NOOP"));
    }

    [Fact]
    public async Task MessageNewTakesAsManyFetchItemsAsFetchDoesAndNoMore()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxFetchItems = 2);
        await using RawImapClient client = await server.LoggedInAsync();

        Assert.Equal(["a OK NOTIFY completed."], await client.CommandAsync("a", "NOTIFY SET (SELECTED (MessageNew (UID FLAGS) MessageExpunge))"));
        Assert.Equal(["b NO [LIMIT] Too many FETCH items."], await client.CommandAsync("b", "NOTIFY SET (SELECTED (MessageNew (UID FLAGS ENVELOPE) MessageExpunge))"));
    }

    [Fact]
    public async Task AMailboxNamedBeforeItExistsIsWatchedOnceCreated()
    {
        await using TwoSessions s = await TwoSessions.StartAsync();
        await s.Client.CommandAsync("a", "NOTIFY SET (MAILBOXES Later (MessageNew MessageExpunge))");

        await s.Other.CommandAsync("c", "CREATE Later");
        await s.Other.AppendAsync("Later", 1);

        Assert.StartsWith("* STATUS Later (MESSAGES 1 UIDNEXT 2 ", (await s.Client.CommandAsync("b", "NOOP"))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchingAsManyMailboxesAsTheLimitIsAllowed()
    {
        // A new user has six folders: INBOX and the five special-use ones.
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxNotifyMailboxes = 6);
        await using RawImapClient client = await server.LoggedInAsync();

        Assert.Equal(["a OK NOTIFY completed."], await client.CommandAsync("a", "NOTIFY SET (PERSONAL (MessageNew MessageExpunge))"));
    }

    [Fact]
    public async Task WatchingMoreMailboxesThanTheLimitIsRefused()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxNotifyMailboxes = 5);
        await using RawImapClient client = await server.LoggedInAsync();

        Assert.Equal(["a NO [LIMIT] Too many mailboxes to watch."], await client.CommandAsync("a", "NOTIFY SET (PERSONAL (MessageNew MessageExpunge))"));
        Assert.Equal(["b OK NOTIFY completed."], await client.CommandAsync("b", "NOTIFY SET (MAILBOXES (INBOX Sent Drafts Trash Junk) (MessageNew MessageExpunge))"));
        Assert.StartsWith("c BAD ", Assert.Single(await client.CommandAsync("c", "NOTIFY SET (MAILBOXES (INBOX Sent Drafts Trash Junk Archive) (MessageNew MessageExpunge))")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFolderCreatedPastTheWatchLimitOverflows()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxNotifyMailboxes = 6);
        await using RawImapClient client = await server.LoggedInAsync();
        await client.CommandAsync("a", "NOTIFY SET (PERSONAL (MessageNew MessageExpunge))");

        List<string> create = await client.CommandAsync("c", "CREATE Seventh");

        Assert.Equal(2, create.Count);
        Assert.Equal("* OK [NOTIFICATIONOVERFLOW] Too many notifications pending, NOTIFY is off.", create[0]);
        Assert.StartsWith("c OK ", create[1], StringComparison.Ordinal);
        Assert.Equal(["b OK NOOP completed."], await client.CommandAsync("b", "NOOP"));
    }

    /// <summary>The client watches mailbox names, the other session creates Folder1 to Folder<paramref name="folders"/>; the client's NOOP.</summary>
    private static async Task<List<string>> NoopAfterOthersCreateFoldersAsync(TwoSessions s, int folders)
    {
        await s.Client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");
        for (int i = 1; i <= folders; i++)
        {
            await s.Other.CommandAsync("c", "CREATE Folder" + i);
        }

        return await s.Client.CommandAsync("a", "NOOP");
    }
}
