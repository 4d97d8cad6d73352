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
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);

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
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);

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
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);
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
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxPendingNotifications = 3);
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);
        await using RawImapClient other = await NotifyTests.LoggedInAsync(server);
        await client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");

        for (int i = 1; i <= 3; i++)
        {
            await other.CommandAsync("c", "CREATE Folder" + i);
        }

        List<string> noop = await client.CommandAsync("a", "NOOP");
        Assert.Equal(["* LIST () \"/\" Folder1", "* LIST () \"/\" Folder2", "* LIST () \"/\" Folder3", "a OK NOOP completed."], noop);
    }

    [Fact]
    public async Task OneNotificationPastTheLimitOverflowsAndEndsNotify()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxPendingNotifications = 3);
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);
        await using RawImapClient other = await NotifyTests.LoggedInAsync(server);
        await client.CommandAsync("n", "NOTIFY SET (PERSONAL (MailboxName))");

        // Between commands events are pushed as they happen; inside one (here waiting for a literal) they queue up.
        await client.SendAsync("a LIST \"\" {6}\r\n");
        Assert.StartsWith("+ ", await client.ReadLineAsync(), StringComparison.Ordinal);
        for (int i = 1; i <= 4; i++)
        {
            await other.CommandAsync("c", "CREATE Folder" + i);
        }

        await client.SendAsync("Nobody\r\n");
        List<string> list = await client.ReadUntilTaggedAsync("a");
        Assert.Equal(["* OK [NOTIFICATIONOVERFLOW] Too many notifications pending, NOTIFY is off.", "a OK List completed."], list);

        // RFC 5465 §5.8: as after NOTIFY NONE.
        await other.CommandAsync("d", "CREATE Folder5");
        Assert.Equal(["b OK NOOP completed."], await client.CommandAsync("b", "NOOP"));
    }

    [Fact]
    public async Task MessageNewTakesAsManyFetchItemsAsFetchDoesAndNoMore()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxFetchItems = 2);
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);

        Assert.Equal(["a OK NOTIFY completed."], await client.CommandAsync("a", "NOTIFY SET (SELECTED (MessageNew (UID FLAGS) MessageExpunge))"));
        Assert.Equal(["b NO [LIMIT] Too many FETCH items."], await client.CommandAsync("b", "NOTIFY SET (SELECTED (MessageNew (UID FLAGS ENVELOPE) MessageExpunge))"));
    }

    [Fact]
    public async Task AMailboxNamedBeforeItExistsIsWatchedOnceCreated()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);
        await using RawImapClient other = await NotifyTests.LoggedInAsync(server);
        await client.CommandAsync("a", "NOTIFY SET (MAILBOXES Later (MessageNew MessageExpunge))");

        await other.CommandAsync("c", "CREATE Later");
        await NotifyTests.AppendAsync(other, "Later", 1);

        Assert.StartsWith("* STATUS Later (MESSAGES 1 UIDNEXT 2 ", (await client.CommandAsync("b", "NOOP"))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchingAsManyMailboxesAsTheLimitIsAllowed()
    {
        // A new user has six folders: INBOX and the five special-use ones.
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxNotifyMailboxes = 6);
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);

        Assert.Equal(["a OK NOTIFY completed."], await client.CommandAsync("a", "NOTIFY SET (PERSONAL (MessageNew MessageExpunge))"));
    }

    [Fact]
    public async Task WatchingMoreMailboxesThanTheLimitIsRefused()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxNotifyMailboxes = 5);
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);

        Assert.Equal(["a NO [LIMIT] Too many mailboxes to watch."], await client.CommandAsync("a", "NOTIFY SET (PERSONAL (MessageNew MessageExpunge))"));
        Assert.Equal(["b OK NOTIFY completed."], await client.CommandAsync("b", "NOTIFY SET (MAILBOXES (INBOX Sent Drafts Trash Junk) (MessageNew MessageExpunge))"));
        Assert.StartsWith("c BAD ", Assert.Single(await client.CommandAsync("c", "NOTIFY SET (MAILBOXES (INBOX Sent Drafts Trash Junk Archive) (MessageNew MessageExpunge))")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFolderCreatedPastTheWatchLimitOverflows()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxNotifyMailboxes = 6);
        await using RawImapClient client = await NotifyTests.LoggedInAsync(server);
        await client.CommandAsync("a", "NOTIFY SET (PERSONAL (MessageNew MessageExpunge))");

        List<string> create = await client.CommandAsync("c", "CREATE Seventh");

        Assert.Equal(2, create.Count);
        Assert.Equal("* OK [NOTIFICATIONOVERFLOW] Too many notifications pending, NOTIFY is off.", create[0]);
        Assert.StartsWith("c OK ", create[1], StringComparison.Ordinal);
        Assert.Equal(["b OK NOOP completed."], await client.CommandAsync("b", "NOOP"));
    }
}
