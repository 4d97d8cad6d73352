using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>
/// The change each snapshot carries from the one before (<see cref="FolderView.Change"/>), computed once and applied by
/// every session holding the folder instead of a diff of the whole folder each.
/// </summary>
public abstract partial class MailboxStoreContract
{
    [Fact]
    public async Task ASnapshotTellsTheMessagesThatArrivedSinceTheOneBefore()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint first = await AppendAsync(folder, "first");
        FolderView before = folder.Current;

        uint second = await AppendAsync(folder, "second");

        FolderView now = folder.Current;
        FolderChange change = Assert.IsType<FolderChange>(now.Change);
        Assert.Equal(before.Version, change.FromVersion);
        Assert.Empty(change.Expunged);
        Assert.Empty(change.Modified);
        Assert.Equal([second], now.Messages.Skip(change.FirstNew).Select(m => m.Uid));
        Assert.Equal([first, second], now.Messages.Select(m => m.Uid));
    }

    [Fact]
    public async Task ASnapshotTellsTheFlagChangesSinceTheOneBeforeAndNotTheMessagesLeftAlone()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint kept = await AppendAsync(folder, "kept");
        uint flagged = await AppendAsync(folder, "flagged");
        FolderView before = folder.Current;

        folder.UpdateFlags([flagged], FlagUpdateMode.Add, MessageFlags.Flagged, [], null);

        FolderChange change = Assert.IsType<FolderChange>(folder.Current.Change);
        Assert.Equal(before.Version, change.FromVersion);
        Assert.Equal([flagged], change.Modified);
        Assert.DoesNotContain(kept, change.Modified);
        Assert.Empty(change.Expunged);
        Assert.Equal(folder.Current.Messages.Count, change.FirstNew);
    }

    [Fact]
    public async Task ASnapshotTellsTheMessagesExpungedSinceTheOneBefore()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint a = await AppendAsync(folder, "a");
        uint b = await AppendAsync(folder, "b");
        uint c = await AppendAsync(folder, "c");
        folder.UpdateFlags([a, c], FlagUpdateMode.Add, MessageFlags.Deleted, [], null);
        FolderView before = folder.Current;

        folder.Expunge(null);

        FolderChange change = Assert.IsType<FolderChange>(folder.Current.Change);
        Assert.Equal(before.Version, change.FromVersion);
        Assert.Equal([a, c], change.Expunged);
        Assert.Empty(change.Modified);
        Assert.Equal([b], folder.Current.Messages.Select(m => m.Uid));
        Assert.Equal(1, change.FirstNew);
    }
}
