using MailKit;
using MailKit.Net.Imap;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>QRESYNC (RFC 7162 §3.2) as MailKit's ImapClient uses it: a quick-resync open, FETCH CHANGEDSINCE with VANISHED, and VANISHED updates.</summary>
public sealed class MailKitQResyncTests
{
    [Fact]
    public async Task AQuickResyncOpenReportsTheVanishedMessagesAndTheChangedFlags()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        (uint validity, ulong modSeq, IList<UniqueId> known) = await LookThenChangeAsync(server, ct);

        using ImapClient client = await server.ConnectMailKitAsync();
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.QuickResync));
        await client.EnableQuickResyncAsync(ct);
        var vanished = new List<MessagesVanishedEventArgs>();
        var flagged = new List<MessageFlagsChangedEventArgs>();
        client.Inbox.MessagesVanished += (_, e) => vanished.Add(e);
        client.Inbox.MessageFlagsChanged += (_, e) => flagged.Add(e);

        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, validity, modSeq, known, ct);

        MessagesVanishedEventArgs gone = Assert.Single(vanished);
        Assert.True(gone.Earlier);
        Assert.Equal([3u], gone.UniqueIds.Select(u => u.Id));
        MessageFlagsChangedEventArgs changed = Assert.Single(flagged);
        Assert.Equal(2u, changed.UniqueId?.Id);
        Assert.Equal(MessageFlags.Flagged, changed.Flags);
        Assert.True(changed.ModSeq > modSeq);
        Assert.Equal(3, client.Inbox.Count);
    }

    [Fact]
    public async Task AFetchChangedSinceReportsTheVanishedMessagesOfTheSet()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        (_, ulong modSeq, _) = await LookThenChangeAsync(server, ct);

        using ImapClient client = await server.ConnectMailKitAsync();
        await client.EnableQuickResyncAsync(ct);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        var vanished = new List<MessagesVanishedEventArgs>();
        client.Inbox.MessagesVanished += (_, e) => vanished.Add(e);

        IList<IMessageSummary> summaries = await client.Inbox.FetchAsync(
            UniqueIdRange.All, new FetchRequest(MessageSummaryItems.Flags | MessageSummaryItems.UniqueId) { ChangedSince = modSeq }, ct);

        IMessageSummary summary = Assert.Single(summaries);
        Assert.Equal(2u, summary.UniqueId.Id);
        Assert.Equal(MessageFlags.Flagged, summary.Flags);
        MessagesVanishedEventArgs gone = Assert.Single(vanished);
        Assert.True(gone.Earlier);
        Assert.Equal([3u], gone.UniqueIds.Select(u => u.Id));
    }

    [Fact]
    public async Task AnExpungeByAnotherSessionArrivesAsAVanishedEvent()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        for (int i = 1; i <= 2; i++)
        {
            await server.DeliverAsync(ImapTestServer.Message(i));
        }

        using ImapClient client = await server.ConnectMailKitAsync();
        await client.EnableQuickResyncAsync(ct);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        var vanished = new List<MessagesVanishedEventArgs>();
        client.Inbox.MessagesVanished += (_, e) => vanished.Add(e);
        using ImapClient other = await server.ConnectMailKitAsync();
        await other.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        await other.Inbox.AddFlagsAsync(new UniqueId(1), MessageFlags.Deleted, silent: true, ct);
        await other.Inbox.ExpungeAsync(ct);

        await client.NoOpAsync(ct);

        MessagesVanishedEventArgs gone = Assert.Single(vanished);
        Assert.False(gone.Earlier);
        Assert.Equal([1u], gone.UniqueIds.Select(u => u.Id));
        Assert.Equal(1, client.Inbox.Count);
    }

    /// <summary>
    /// Four messages; a client looks (UIDVALIDITY, HIGHESTMODSEQ, UIDs) and goes; then message 2 is flagged and
    /// message 3 expunged by another.
    /// </summary>
    private static async Task<(uint Validity, ulong ModSeq, IList<UniqueId> Known)> LookThenChangeAsync(ImapTestServer server, CancellationToken ct)
    {
        for (int i = 1; i <= 4; i++)
        {
            await server.DeliverAsync(ImapTestServer.Message(i));
        }

        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        uint validity = client.Inbox.UidValidity;
        ulong modSeq = client.Inbox.HighestModSeq;
        IList<UniqueId> known = await client.Inbox.SearchAsync(MailKit.Search.SearchQuery.All, ct);
        await client.Inbox.AddFlagsAsync(new UniqueId(2), MessageFlags.Flagged, silent: true, ct);
        await client.Inbox.AddFlagsAsync(new UniqueId(3), MessageFlags.Deleted, silent: true, ct);
        await client.Inbox.ExpungeAsync(ct);
        await client.DisconnectAsync(quit: true, ct);
        return (validity, modSeq, known);
    }
}
