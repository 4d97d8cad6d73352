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
}
