using MailKit;
using MailKit.Net.Imap;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

public sealed class MailboxUpdateTests
{
    [Fact]
    public async Task IdleIsWokenByALocalDelivery()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var arrived = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Inbox.CountChanged += (_, _) =>
        {
            arrived.TrySetResult(client.Inbox.Count);
            done.Cancel();
        };
        Task idle = client.IdleAsync(done.Token, ct);
        await Task.Delay(100, ct);
        await server.DeliverAsync(ImapTestServer.Message(2));
        Assert.Equal(2, await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30), ct));
        await idle;
        Assert.Equal(2, client.Inbox.Count);
    }

    [Fact]
    public async Task RawIdleStreamsUpdatesAndEndsWithDone()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", "SELECT INBOX");
        await client.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await client.ReadLineAsync());
        await server.DeliverAsync(ImapTestServer.Message(1));
        Assert.Equal("* 1 EXISTS", await client.ReadLineAsync());
        Assert.Equal("* 1 RECENT", await client.ReadLineAsync());
        await client.SendAsync("DONE\r\n");
        Assert.Equal(["i OK Idle completed."], await client.ReadUntilTaggedAsync("i"));
        Assert.Equal(["n OK NOOP completed."], await client.CommandAsync("n", "NOOP"));
    }

    [Fact]
    public async Task TwoSessionsSeeEachOthersFlagChangesAndExpunges()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        for (int i = 1; i <= 3; i++)
        {
            await server.DeliverAsync(ImapTestServer.Message(i));
        }

        await using RawImapClient first = await server.ConnectAsync();
        await using RawImapClient second = await server.ConnectAsync();
        await first.LoginAsync();
        await second.LoginAsync();
        await first.CommandAsync("a", "SELECT INBOX");
        await second.CommandAsync("a", "SELECT INBOX");
        Assert.Equal(["b OK Store completed."], await first.CommandAsync("b", "STORE 2 +FLAGS.SILENT (\\Deleted \\Flagged)"));
        Assert.Equal(["* 2 FETCH (UID 2 FLAGS (\\Flagged \\Deleted))", "c OK NOOP completed."], await second.CommandAsync("c", "NOOP"));

        Assert.Equal(["* 2 EXPUNGE", "d OK Expunge completed."], await first.CommandAsync("d", "EXPUNGE"));
        // FETCH must not renumber under the client's feet: message 3 keeps its number until the EXPUNGE may be sent.
        Assert.Equal(["* 3 FETCH (UID 3)", "e OK Fetch completed."], await second.CommandAsync("e", "FETCH 3 UID"));
        Assert.Equal(["* 2 EXPUNGE", "f OK NOOP completed."], await second.CommandAsync("f", "NOOP"));
        Assert.Equal(["* 2 FETCH (UID 3)", "g OK Fetch completed."], await second.CommandAsync("g", "FETCH 2 UID"));

        await server.DeliverAsync(ImapTestServer.Message(4));
        List<string> fetch = await first.CommandAsync("h", "FETCH 1:* UID");
        Assert.Equal(["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 EXISTS", "* 3 RECENT", "h OK Fetch completed."], fetch);
    }

    [Fact]
    public async Task AnIdlingSessionIsToldOfFlagChangesExpungesAndArrivalsInTurnWithItsOwnNumbers()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        for (int i = 1; i <= 4; i++)
        {
            await server.DeliverAsync(ImapTestServer.Message(i));
        }

        await using RawImapClient other = await server.ConnectAsync();
        await using RawImapClient idler = await server.ConnectAsync();
        await other.LoginAsync();
        await idler.LoginAsync();
        // The other session selects first and so takes \Recent for the four (RFC 3501 §2.3.2).
        await other.CommandAsync("a", "SELECT INBOX");
        await idler.CommandAsync("a", "SELECT INBOX");
        await idler.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await idler.ReadLineAsync());

        await other.CommandAsync("b", "STORE 1,3 +FLAGS.SILENT (\\Deleted)");
        Assert.Equal("* 1 FETCH (UID 1 FLAGS (\\Deleted))", await idler.ReadLineAsync());
        Assert.Equal("* 3 FETCH (UID 3 FLAGS (\\Deleted))", await idler.ReadLineAsync());

        await other.CommandAsync("c", "EXPUNGE");
        // RFC 9051 §7.5.1: each EXPUNGE renumbers what follows, so UID 3 (number 3) goes as number 2.
        Assert.Equal("* 1 EXPUNGE", await idler.ReadLineAsync());
        Assert.Equal("* 2 EXPUNGE", await idler.ReadLineAsync());

        await server.DeliverAsync(ImapTestServer.Message(5));
        Assert.Equal("* 3 EXISTS", await idler.ReadLineAsync());
        Assert.Equal("* 1 RECENT", await idler.ReadLineAsync());

        await idler.SendAsync("DONE\r\n");
        Assert.Equal(["i OK Idle completed."], await idler.ReadUntilTaggedAsync("i"));
        Assert.Equal(["* 1 FETCH (UID 2)", "* 2 FETCH (UID 4)", "* 3 FETCH (UID 5)", "f OK Fetch completed."], await idler.CommandAsync("f", "FETCH 1:* UID"));
    }
}
