using MailKit;
using MailKit.Net.Imap;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>NOTIFY driven by MailKit's ImapClient (NotifyAsync with ImapEventGroup), a client nobody here wrote.</summary>
public sealed class NotifyMailKitTests
{
    [Fact]
    public async Task MailKitHearsOfANewMessageInAnotherFolderWhileIdling()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        IMailFolder root = client.GetFolder(client.PersonalNamespaces[0]);
        IMailFolder lists = (await root.CreateAsync("Lists", isMessageFolder: true, ct))!;
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Notify));
        await client.NotifyAsync(true, [
            new ImapEventGroup(ImapMailboxFilter.Selected, new ImapEvent.MessageNew(MessageSummaryItems.UniqueId), ImapEvent.MessageExpunge),
            new ImapEventGroup(ImapMailboxFilter.Personal, new ImapEvent.MessageNew(MessageSummaryItems.None), ImapEvent.MessageExpunge),
        ], ct);

        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var counted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lists.CountChanged += (_, _) =>
        {
            counted.TrySetResult(lists.Count);
            done.Cancel();
        };
        Task idle = client.IdleAsync(done.Token, ct);
        await using (RawImapClient other = await server.LoggedInAsync())
        {
            await other.AppendAsync("Lists", 1);
        }

        Assert.Equal(1, await counted.Task.WaitAsync(TimeSpan.FromSeconds(10), ct));
        await idle;
    }

    [Fact]
    public async Task MailKitReceivesTheFetchOfANewMessageInTheSelectedFolder()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        await client.NotifyAsync(false, [
            new ImapEventGroup(ImapMailboxFilter.Selected, new ImapEvent.MessageNew(MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope), ImapEvent.MessageExpunge, ImapEvent.FlagChange),
        ], ct);

        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var fetched = new TaskCompletionSource<IMessageSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Inbox.MessageSummaryFetched += (_, e) =>
        {
            if (e.Message.Envelope is not null)
            {
                fetched.TrySetResult(e.Message);
                done.Cancel();
            }
        };
        Task idle = client.IdleAsync(done.Token, ct);
        await Task.Delay(100, ct);
        await server.DeliverAsync(ImapTestServer.Message(7));

        IMessageSummary summary = await fetched.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await idle;
        Assert.Equal(1u, summary.UniqueId.Id);
        Assert.Equal("Test 7", summary.Envelope!.Subject);
        Assert.Equal(1, client.Inbox.Count);
    }

    [Fact]
    public async Task MailKitIsSentTheSelectedMailboxsNewsWithNoCommandInFlight()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        // MailKit over a socket of ours, to see the server's bytes arrive while MailKit sends nothing.
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(server.EndPoint, ct);
        using var client = new ImapClient();
        await client.ConnectAsync(socket, "127.0.0.1", server.EndPoint.Port, MailKit.Security.SecureSocketOptions.None, ct);
        await client.AuthenticateAsync(ImapTestServer.Charlie, "charlie", ct);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        await client.NotifyAsync(false, [
            new ImapEventGroup(ImapMailboxFilter.Selected, new ImapEvent.MessageNew(MessageSummaryItems.UniqueId), ImapEvent.MessageExpunge),
        ], ct);
        var counted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Inbox.CountChanged += (_, _) => counted.TrySetResult(client.Inbox.Count);

        await server.DeliverAsync(ImapTestServer.Message(1));

        // RFC 5465 §5: the EXISTS (and MessageNew's FETCH) is sent as it happens, not in answer to a command.
        for (int i = 0; i < 500 && socket.Available == 0; i++)
        {
            await Task.Delay(20, ct);
        }

        Assert.True(socket.Available > 0);
        Assert.False(counted.Task.IsCompleted);
        // MailKit reads what was pushed with its next command's response.
        await client.NoOpAsync(ct);
        Assert.Equal(1, await counted.Task.WaitAsync(TimeSpan.FromSeconds(10), ct));
        Assert.Equal(1, client.Inbox.Count);
    }
}
