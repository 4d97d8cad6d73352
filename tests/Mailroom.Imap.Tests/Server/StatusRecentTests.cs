using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

public sealed class StatusRecentTests
{
    [Fact]
    public async Task StatusRecentCountsNewDeliveriesWithoutClaimingThem()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await server.DeliverAsync(ImapTestServer.Message(2));
        await using RawImapClient watcher = await server.ConnectAsync();
        await watcher.LoginAsync();
        Assert.Equal("* STATUS INBOX (RECENT 2 MESSAGES 2)", (await watcher.CommandAsync("a", "STATUS INBOX (RECENT MESSAGES)"))[0]);
        Assert.Equal("* STATUS INBOX (RECENT 2)", (await watcher.CommandAsync("b", "STATUS INBOX (RECENT)"))[0]);

        await using RawImapClient reader = await server.ConnectAsync();
        await reader.LoginAsync();
        Assert.Contains("* 2 RECENT", await reader.CommandAsync("c", "EXAMINE INBOX"));
        Assert.Equal("* STATUS INBOX (RECENT 2)", (await watcher.CommandAsync("d", "STATUS INBOX (RECENT)"))[0]);

        // The first read-write SELECT takes them: for everybody else they are no longer recent.
        Assert.Contains("* 2 RECENT", await reader.CommandAsync("e", "SELECT INBOX"));
        Assert.Equal("* STATUS INBOX (RECENT 0 MESSAGES 2)", (await watcher.CommandAsync("f", "STATUS INBOX (RECENT MESSAGES)"))[0]);

        Assert.Equal(["g OK Unselect completed."], await reader.CommandAsync("g", "UNSELECT"));
        await server.DeliverAsync(ImapTestServer.Message(3));
        Assert.Equal("* STATUS INBOX (RECENT 1 MESSAGES 3)", (await watcher.CommandAsync("h", "STATUS INBOX (RECENT MESSAGES)"))[0]);
    }
}
