using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>
/// RFC 2180 §4.1.1: a message expunged while a session still shows it (its EXPUNGE not yet reported, RFC 3501 §7.4.1)
/// stays readable for that session until it reports the EXPUNGE or leaves; bounded store-wide, and past the bound
/// RFC 2180 §4.1.3 (the content is gone).
/// </summary>
public abstract partial class MailboxStoreContract
{
    [Fact]
    public async Task AMessageExpungedWhileAViewerShowsItStaysReadableUntilTheViewerHasShownTheExpunge()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "kept for the viewer");
        using FolderViewer viewer = folder.AddViewer();
        viewer.Shown(folder.Current.Version);

        Assert.Equal([uid], folder.Remove([uid]));

        Assert.DoesNotContain(folder.Current.Messages, m => m.Uid == uid);
        Assert.Equal("kept for the viewer", Subject(folder, uid));
        Assert.Equal("kept for the viewer", Subject(folder, uid));
        Assert.Equal(1, folder.HeldExpungedCount);

        viewer.Shown(folder.Current.Version);

        Assert.Equal(0, folder.HeldExpungedCount);
        Assert.Throws<MessageGoneException>(() => folder.OpenContent(uid));
    }

    [Fact]
    public async Task AStreamOpenedBeforeTheReleaseCanStillBeReadToTheEnd()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "read after release");
        using FolderViewer viewer = folder.AddViewer();
        folder.Remove([uid]);

        using Stream content = folder.OpenContent(uid);
        viewer.Dispose();

        using var copy = new MemoryStream();
        content.CopyTo(copy);
        Assert.Equal(Message("read after release"), copy.ToArray());
        Assert.Throws<MessageGoneException>(() => folder.OpenContent(uid));
    }

    [Fact]
    public async Task AViewerThatLeavesReleasesWhatWasHeldForIt()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "gone with the viewer");
        FolderViewer viewer = folder.AddViewer();
        folder.Remove([uid]);
        Assert.Equal(1, folder.HeldExpungedCount);

        viewer.Dispose();

        Assert.Equal(0, folder.HeldExpungedCount);
        Assert.Throws<MessageGoneException>(() => folder.OpenContent(uid));
    }

    [Fact]
    public async Task AMessageIsHeldUntilTheLastViewerThatShowsItHasShownTheExpunge()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "two viewers");
        using FolderViewer quick = folder.AddViewer();
        using FolderViewer slow = folder.AddViewer();
        folder.Remove([uid]);

        quick.Shown(folder.Current.Version);
        Assert.Equal("two viewers", Subject(folder, uid));

        slow.Shown(folder.Current.Version);
        Assert.Throws<MessageGoneException>(() => folder.OpenContent(uid));
    }

    [Fact]
    public async Task WithoutAViewerAnExpungedMessageIsNotHeld()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "nobody looks");

        folder.Remove([uid]);

        Assert.Equal(0, folder.HeldExpungedCount);
        Assert.Throws<MessageGoneException>(() => folder.OpenContent(uid));
    }

    [Fact]
    public async Task AViewerThatArrivesAfterTheExpungeDoesNotKeepTheMessage()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "before the viewer");
        using (FolderViewer early = folder.AddViewer())
        {
            folder.Remove([uid]);
            using FolderViewer late = folder.AddViewer();
            early.Shown(folder.Current.Version);

            Assert.Equal(0, folder.HeldExpungedCount);
        }

        Assert.Throws<MessageGoneException>(() => folder.OpenContent(uid));
    }

    [Fact]
    public async Task MessagesPastTheStoreWideBoundAreNotHeldAndReleasedPlacesAreReused()
    {
        Options.MaxHeldExpungedMessages = 1;
        using FolderLease inbox = Open();
        using FolderLease archive = Open("Archive");
        uint first = await AppendAsync(inbox.Folder, "first");
        uint second = await AppendAsync(archive.Folder, "second");
        uint third = await AppendAsync(archive.Folder, "third");
        using FolderViewer inboxViewer = inbox.Folder.AddViewer();
        using FolderViewer archiveViewer = archive.Folder.AddViewer();

        inbox.Folder.Remove([first]);
        archive.Folder.Remove([second]);

        Assert.Equal("first", Subject(inbox.Folder, first));
        Assert.Throws<MessageGoneException>(() => archive.Folder.OpenContent(second));

        inboxViewer.Shown(inbox.Folder.Current.Version);
        archive.Folder.Remove([third]);

        Assert.Equal("third", Subject(archive.Folder, third));
    }

    [Fact]
    public async Task ABoundOfZeroHoldsNothing()
    {
        Options.MaxHeldExpungedMessages = 0;
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "not held");
        using FolderViewer viewer = folder.AddViewer();

        folder.Remove([uid]);

        Assert.Throws<MessageGoneException>(() => folder.OpenContent(uid));
    }

    [Fact]
    public async Task DeletingTheFolderReleasesWhatItHeld()
    {
        using FolderLease lease = Open("Trash");
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "in a deleted folder");
        using FolderViewer viewer = folder.AddViewer();
        folder.Remove([uid]);
        Assert.Equal(1, folder.HeldExpungedCount);

        Assert.Equal(FolderResult.Ok, Store.DeleteFolder(User, "Trash"));

        Assert.Equal(0, folder.HeldExpungedCount);
        Assert.Throws<MessageGoneException>(() => folder.OpenContent(uid));
    }
}
