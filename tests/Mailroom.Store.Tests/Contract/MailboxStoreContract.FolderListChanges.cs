using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>The announcements of folder list and subscription changes (what IMAP NOTIFY's MailboxName and SubscriptionChange report).</summary>
public abstract partial class MailboxStoreContract
{
    [Fact]
    public void CreatingAFolderAnnouncesItAndEveryParentItAdded()
    {
        Store.ListFolders(User);
        List<FolderListChange> changes = RecordFolderListChanges();

        Assert.Equal(FolderResult.Ok, Store.CreateFolder(User, "Projects/2026/Q1"));
        Assert.Equal(FolderResult.AlreadyExists, Store.CreateFolder(User, "Projects"));

        Assert.Equal(
            [(FolderListChangeKind.Created, "Projects", (string?)null), (FolderListChangeKind.Created, "Projects/2026", null), (FolderListChangeKind.Created, "Projects/2026/Q1", null)],
            Snapshot(changes));
    }

    [Fact]
    public void DeletingAFolderAnnouncesItOnlyWhenItWasDeleted()
    {
        Store.CreateFolder(User, "Old");
        List<FolderListChange> changes = RecordFolderListChanges();

        Assert.Equal(FolderResult.NotFound, Store.DeleteFolder(User, "Missing"));
        Assert.Equal(FolderResult.Ok, Store.DeleteFolder(User, "Old"));

        Assert.Equal([(FolderListChangeKind.Deleted, "Old", (string?)null)], Snapshot(changes));
    }

    [Fact]
    public void RenamingAFolderAnnouncesItAndItsChildrenWithTheirOldNames()
    {
        Store.CreateFolder(User, "Work/Reports");
        List<FolderListChange> changes = RecordFolderListChanges();

        Assert.Equal(FolderResult.Ok, Store.RenameFolder(User, "Work", "Job"));

        Assert.Equal(
            [(FolderListChangeKind.Renamed, "Job", "Work"), (FolderListChangeKind.Renamed, "Job/Reports", "Work/Reports")],
            Snapshot(changes).OrderBy(c => c.Item2, StringComparer.Ordinal));
        Assert.All(changes, c => Assert.Equal(User, c.User, ignoreCase: true));
    }

    [Fact]
    public void SubscribingAnnouncesOnlyRealChanges()
    {
        Store.ListFolders(User);
        List<FolderListChange> changes = RecordFolderListChanges();

        Store.SetSubscribed(User, "Lists", subscribed: true);
        Store.SetSubscribed(User, "Lists", subscribed: true);
        Store.SetSubscribed(User, "Lists", subscribed: false);
        Store.SetSubscribed(User, "Lists", subscribed: false);

        Assert.Equal(
            [(FolderListChangeKind.Subscribed, "Lists", (string?)null), (FolderListChangeKind.Unsubscribed, "Lists", null)],
            Snapshot(changes));
    }

    private List<FolderListChange> RecordFolderListChanges()
    {
        var changes = new List<FolderListChange>();
        Store.FolderListChanged += change =>
        {
            lock (changes)
            {
                changes.Add(change);
            }
        };
        return changes;
    }

    private static List<(FolderListChangeKind, string, string?)> Snapshot(List<FolderListChange> changes)
    {
        lock (changes)
        {
            return [.. changes.Select(c => (c.Kind, c.Name, c.OldName))];
        }
    }
}
