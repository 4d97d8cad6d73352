using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>RFC 8474 object ids (MAILBOXID, EMAILID) and the RFC 8514 save date, as every store keeps them.</summary>
public abstract partial class MailboxStoreContract
{
    private static readonly DateTimeOffset OldDate = new(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);

    [Fact]
    public void EveryFolderHasItsOwnMailboxIdAndAMissingFolderHasNone()
    {
        Assert.Equal(FolderResult.Ok, Store.CreateFolder(User, "Projects"));

        string? inbox = Store.GetMailboxId(User, "INBOX");
        string? projects = Store.GetMailboxId(User, "Projects");

        Assert.True(ObjectIds.IsValid(inbox));
        Assert.True(ObjectIds.IsValid(projects));
        Assert.NotEqual(inbox, projects);
        Assert.Equal(inbox, Store.GetMailboxId(User, "inbox"));
        Assert.Equal(projects, Store.GetMailboxId(User, "Projects"));
        Assert.Null(Store.GetMailboxId(User, "Nothing"));
        Assert.NotEqual(inbox, Store.GetMailboxId(OtherUser, "INBOX"));
    }

    [Fact]
    public void RenameKeepsTheMailboxIdAndDeleteThenCreateGivesANewOne()
    {
        Assert.Equal(FolderResult.Ok, Store.CreateFolder(User, "Old/Child"));
        string? parent = Store.GetMailboxId(User, "Old");
        string? child = Store.GetMailboxId(User, "Old/Child");

        Assert.Equal(FolderResult.Ok, Store.RenameFolder(User, "Old", "New"));

        Assert.Equal(parent, Store.GetMailboxId(User, "New"));
        Assert.Equal(child, Store.GetMailboxId(User, "New/Child"));
        Assert.Null(Store.GetMailboxId(User, "Old"));

        Assert.Equal(FolderResult.Ok, Store.DeleteFolder(User, "New/Child"));
        Assert.Equal(FolderResult.Ok, Store.CreateFolder(User, "New/Child"));
        string? recreated = Store.GetMailboxId(User, "New/Child");
        Assert.True(ObjectIds.IsValid(recreated));
        Assert.NotEqual(child, recreated);
    }

    [Fact]
    public void RenamingInboxKeepsInboxsMailboxIdAndGivesTheNewFolderItsOwn()
    {
        string? inbox = Store.GetMailboxId(User, "INBOX");

        Assert.Equal(FolderResult.Ok, Store.RenameFolder(User, "INBOX", "Old mail"));

        Assert.Equal(inbox, Store.GetMailboxId(User, "INBOX"));
        Assert.NotEqual(inbox, Store.GetMailboxId(User, "Old mail"));
    }

    [Fact]
    public async Task EveryMessageHasItsOwnEmailIdWhichCopyAndMoveKeep()
    {
        using FolderLease inbox = Open();
        using FolderLease archive = Open("Archive");
        using FolderLease trash = Open("Trash");
        uint a = await AppendAsync(inbox.Folder, "a");
        uint b = await AppendAsync(inbox.Folder, "a");
        string idA = EmailId(inbox.Folder, a);
        string idB = EmailId(inbox.Folder, b);

        CopyResult copied = await inbox.Folder.CopyToAsync(archive.Folder, [a], TestContext.Current.CancellationToken);
        CopyResult moved = await archive.Folder.MoveToAsync(trash.Folder, copied.DestinationUids, TestContext.Current.CancellationToken);

        Assert.True(ObjectIds.IsValid(idA));
        Assert.NotEqual(idA, idB);
        Assert.Equal(idA, EmailId(inbox.Folder, a));
        Assert.Equal(idA, EmailId(trash.Folder, moved.DestinationUids[0]));
        uint again = (await trash.Folder.CopyToAsync(archive.Folder, moved.DestinationUids, TestContext.Current.CancellationToken)).DestinationUids[0];
        Assert.Equal(idA, EmailId(archive.Folder, again));
    }

    [Fact]
    public async Task RenamingInboxKeepsTheEmailIdsOfItsMessages()
    {
        uint uid;
        string id;
        using (FolderLease inbox = Open())
        {
            uid = await AppendAsync(inbox.Folder, "kept");
            id = EmailId(inbox.Folder, uid);
        }

        Assert.Equal(FolderResult.Ok, Store.RenameFolder(User, "INBOX", "Before"));

        using FolderLease before = Open("Before");
        MessageRecord moved = Assert.Single(before.Folder.Refresh().Messages);
        Assert.Equal(id, before.Folder.GetEmailId(moved));
    }

    [Fact]
    public async Task TheSaveDateIsWhenTheMessageEnteredTheFolderWhateverItsInternalDate()
    {
        using FolderLease inbox = Open();
        using FolderLease archive = Open("Archive");
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-2);
        uint uid = await StoreOperations.AppendAsync(inbox.Folder, Message("old"), internalDate: OldDate);
        CopyResult copied = await inbox.Folder.CopyToAsync(archive.Folder, [uid], TestContext.Current.CancellationToken);
        DateTimeOffset after = DateTimeOffset.UtcNow.AddSeconds(2);

        MessageRecord original = Record(inbox.Folder, uid);
        MessageRecord copy = Record(archive.Folder, copied.DestinationUids[0]);
        Assert.Equal(OldDate, original.InternalDate);
        Assert.Equal(OldDate, copy.InternalDate);
        Assert.InRange(inbox.Folder.GetSaveDate(original), before, after);
        Assert.InRange(archive.Folder.GetSaveDate(copy), before, after);
    }

    [Fact]
    public async Task ADeliveredMessageHasAnEmailIdAndASaveDate()
    {
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-2);
        await StoreOperations.DeliverAsync(Store, User, Message("delivered"));
        DateTimeOffset after = DateTimeOffset.UtcNow.AddSeconds(2);

        using FolderLease inbox = Open();
        MessageRecord record = Assert.Single(inbox.Folder.Refresh().Messages);
        Assert.True(ObjectIds.IsValid(inbox.Folder.GetEmailId(record)));
        Assert.InRange(inbox.Folder.GetSaveDate(record), before, after);
    }

    private static string EmailId(MailFolder folder, uint uid) => folder.GetEmailId(Record(folder, uid));
}
