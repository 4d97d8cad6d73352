using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Store.Tests.Mailboxes;

public sealed class FolderCacheTests
{
    [Fact]
    public async Task AWarmReopenSeesWhatOtherProgramsDidWhileTheFolderWasReleased()
    {
        using var context = new MailboxTestContext();
        await context.DeliverAsync("gone");
        await context.DeliverAsync("flagged");
        MailFolder released;
        string goneBase, flaggedBase;
        using (FolderLease lease = context.Open())
        {
            released = lease.Folder;
            Assert.Equal(2, released.Current.Messages.Count);
            goneBase = released.Current.Messages[0].BaseName;
            flaggedBase = released.Current.Messages[1].BaseName;
        }

        Assert.Equal(1, context.Store.IdleFolderCount);
        string cur = Path.Combine(context.Maildir, "cur");
        File.Delete(Directory.GetFiles(cur, goneBase + "*").Single());
        File.Move(Directory.GetFiles(cur, flaggedBase + "*").Single(), Path.Combine(cur, flaggedBase + ":2,FS"));
        await context.DeliverAsync("new");

        using FolderLease again = context.Open();

        Assert.Same(released, again.Folder);
        Assert.Equal(0, context.Store.IdleFolderCount);
        FolderView view = again.Folder.Current;
        Assert.Equal([2u, 3u], view.Messages.Select(m => m.Uid));
        Assert.Equal(MessageFlags.Flagged | MessageFlags.Seen, view.Messages[0].Flags);
        Assert.Equal("new", MailboxTestContext.ReadSubject(again.Folder, 3));
        Assert.Empty(Directory.GetFiles(Path.Combine(context.Maildir, "new")));
    }

    [Fact]
    public async Task AWarmFolderWhoseUidListWasReplacedIsReloaded()
    {
        using var context = new MailboxTestContext();
        uint uidValidity;
        using (FolderLease lease = context.Open("Drafts"))
        {
            await MailboxTestContext.AppendAsync(lease.Folder, "a");
            uidValidity = lease.Folder.Current.UidValidity;
        }

        File.Delete(Path.Combine(context.Maildir, ".Drafts", UidList.FileName));

        using FolderLease again = context.Open("Drafts");
        Assert.NotEqual(uidValidity, again.Folder.Current.UidValidity);
        MessageRecord record = Assert.Single(again.Folder.Current.Messages);
        Assert.Equal("a", MailboxTestContext.ReadSubject(again.Folder, record.Uid));
    }

    [Fact]
    public void TheCacheBoundEvictsTheLeastRecentlyReleasedFolder()
    {
        using var context = new MailboxTestContext(options => options.IdleFolderCacheSize = 2);
        var released = new Dictionary<string, MailFolder>();
        foreach (string name in (string[])["Drafts", "Sent", "Trash"])
        {
            using FolderLease lease = context.Open(name);
            released[name] = lease.Folder;
        }

        Assert.Equal(2, context.Store.IdleFolderCount);
        using FolderLease trash = context.Open("Trash");
        using FolderLease drafts = context.Open("Drafts");
        Assert.Same(released["Trash"], trash.Folder);
        Assert.NotSame(released["Drafts"], drafts.Folder);
    }

    [Fact]
    public async Task AFolderBiggerThanTheMessageBoundIsNotKept()
    {
        using var context = new MailboxTestContext(options => options.IdleFolderCacheMaxMessages = 1);
        using (FolderLease lease = context.Open("Sent"))
        {
            await MailboxTestContext.AppendAsync(lease.Folder, "a");
            await MailboxTestContext.AppendAsync(lease.Folder, "b");
        }

        Assert.Equal(0, context.Store.IdleFolderCount);
    }

    [Fact]
    public void AReleasedFolderIsUnloadedAfterTheIdleTimeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var context = new MailboxTestContext(options => options.IdleFolderTimeout = TimeSpan.FromMinutes(10), time);
        using (context.Open("Junk"))
        {
        }

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(1, context.Store.IdleFolderCount);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, context.Store.IdleFolderCount);
    }

    [Fact]
    public async Task DeletingAndRenamingCachedFoldersBehaveAsForUnloadedOnes()
    {
        using var context = new MailboxTestContext();
        Assert.Equal(FolderResult.Ok, context.Store.CreateFolder(MailboxTestContext.User, "Old"));
        Assert.Equal(FolderResult.Ok, context.Store.CreateFolder(MailboxTestContext.User, "Doomed"));
        using (FolderLease old = context.Open("Old"))
        using (FolderLease doomed = context.Open("Doomed"))
        {
            await MailboxTestContext.AppendAsync(old.Folder, "kept");
            await MailboxTestContext.AppendAsync(doomed.Folder, "lost");
        }

        Assert.Equal(FolderResult.Ok, context.Store.DeleteFolder(MailboxTestContext.User, "Doomed"));
        Assert.Equal(FolderResult.Ok, context.Store.RenameFolder(MailboxTestContext.User, "Old", "New"));
        Assert.Null(context.Store.OpenFolder(MailboxTestContext.User, "Old"));
        Assert.Null(context.Store.OpenFolder(MailboxTestContext.User, "Doomed"));
        Assert.Equal(FolderResult.Ok, context.Store.CreateFolder(MailboxTestContext.User, "Doomed"));

        using FolderLease renamed = context.Open("New");
        using FolderLease recreated = context.Open("Doomed");
        Assert.Equal("kept", MailboxTestContext.ReadSubject(renamed.Folder, Assert.Single(renamed.Folder.Current.Messages).Uid));
        Assert.Empty(recreated.Folder.Current.Messages);
    }
}
