using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

public sealed class FolderManagementTests : IDisposable
{
    private readonly MailboxTestContext _context = new();

    public void Dispose() => _context.Dispose();

    private MaildirStore Store => _context.Store;

    [Fact]
    public void ANewUserGetsSubscribedSpecialUseFolders()
    {
        IReadOnlyList<FolderInfo> folders = Store.ListFolders(MailboxTestContext.User);

        Assert.Equal("INBOX", folders[0].Name);
        Assert.Equal(
            [("Archive", SpecialUse.Archive), ("Drafts", SpecialUse.Drafts), ("Junk", SpecialUse.Junk), ("Sent", SpecialUse.Sent), ("Trash", SpecialUse.Trash)],
            folders.Skip(1).Select(f => (f.Name, f.SpecialUse)));
        Assert.All(folders, f => Assert.True(f.Subscribed));
        Assert.True(Directory.Exists(Path.Combine(_context.Maildir, ".Sent", "cur")));
    }

    [Fact]
    public void CreateMakesParentsAndListShowsChildren()
    {
        Assert.Equal(FolderResult.Ok, Store.CreateFolder(MailboxTestContext.User, "Projects/2024/Q1/"));
        Assert.Equal(FolderResult.AlreadyExists, Store.CreateFolder(MailboxTestContext.User, "Projects/2024"));
        Assert.Equal(FolderResult.AlreadyExists, Store.CreateFolder(MailboxTestContext.User, "inbox"));

        IReadOnlyList<FolderInfo> folders = Store.ListFolders(MailboxTestContext.User);
        Assert.True(folders.Single(f => f.Name == "Projects").HasChildren);
        Assert.True(folders.Single(f => f.Name == "Projects/2024").HasChildren);
        Assert.False(folders.Single(f => f.Name == "Projects/2024/Q1").HasChildren);
        Assert.True(Directory.Exists(Path.Combine(_context.Maildir, ".Projects.2024.Q1")));
    }

    [Theory]
    [InlineData("a.b", ".a%2Eb")]
    [InlineData("100%", ".100%25")]
    [InlineData("Entwürfe/Größe", ".Entwürfe.Größe")]
    [InlineData("..", ".%2E%2E")]
    [InlineData("../../x", ".%2E%2E.%2E%2E.x")]
    [InlineData("a\\b", ".a%5Cb")]
    public void NamesAreEncodedIntoOneDirectoryUnderTheMaildir(string name, string directory)
    {
        Assert.Equal(FolderResult.Ok, Store.CreateFolder(MailboxTestContext.User, name));

        Assert.True(Directory.Exists(Path.Combine(_context.Maildir, directory)));
        Assert.Contains(Store.ListFolders(MailboxTestContext.User), f => f.Name == name);
        using FolderLease lease = _context.Open(name);
        Assert.Equal(name, lease.Folder.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("a//b")]
    [InlineData("/a")]
    public void MalformedNamesAreInvalid(string name)
    {
        Assert.Equal(FolderResult.InvalidName, Store.CreateFolder(MailboxTestContext.User, name));
        Assert.Null(Store.OpenFolder(MailboxTestContext.User, name));
    }

    [Fact]
    public void ANameWithALoneSurrogateIsInvalid()
    {
        Assert.Equal(FolderResult.InvalidName, Store.CreateFolder(MailboxTestContext.User, "a" + '\ud800' + "b"));
    }

    [Fact]
    public void ANameTooLongForTheFileSystemIsInvalid()
    {
        Assert.Equal(FolderResult.InvalidName, Store.CreateFolder(MailboxTestContext.User, new string('.', 100)));
    }

    [Fact]
    public async Task RenameMovesChildrenAndOpenFoldersFollow()
    {
        Store.CreateFolder(MailboxTestContext.User, "Old/Child");
        Store.SetSubscribed(MailboxTestContext.User, "Old/Child", true);
        using FolderLease child = _context.Open("Old/Child");
        uint uid = await MailboxTestContext.AppendAsync(child.Folder, "kept");

        Assert.Equal(FolderResult.Ok, Store.RenameFolder(MailboxTestContext.User, "Old", "New/Name"));

        Assert.Equal("New/Name/Child", child.Folder.Name);
        Assert.Null(Store.OpenFolder(MailboxTestContext.User, "Old"));
        Assert.Equal("kept", MailboxTestContext.ReadSubject(child.Folder, uid));
        Assert.Contains("New/Name/Child", Store.GetSubscriptions(MailboxTestContext.User));
        _context.Restart();
        using FolderLease again = _context.Open("New/Name/Child");
        Assert.Equal([uid], again.Folder.Current.Messages.Select(m => m.Uid));
        Assert.Equal(FolderResult.NotFound, Store.RenameFolder(MailboxTestContext.User, "Old", "Other"));
        Assert.Equal(FolderResult.AlreadyExists, Store.RenameFolder(MailboxTestContext.User, "New", "Sent"));
        Assert.Equal(FolderResult.InvalidName, Store.RenameFolder(MailboxTestContext.User, "New", "New/Inner"));
    }

    [Fact]
    public async Task RenamingInboxMovesItsMessagesAndLeavesItEmpty()
    {
        await _context.DeliverAsync("one");
        await _context.DeliverAsync("two");

        Assert.Equal(FolderResult.Ok, Store.RenameFolder(MailboxTestContext.User, "INBOX", "Old Mail"));

        using FolderLease inbox = _context.Open();
        Assert.Empty(inbox.Folder.Refresh().Messages);
        using FolderLease old = _context.Open("Old Mail");
        Assert.Equal(["one", "two"], old.Folder.Current.Messages.Select(m => MailboxTestContext.ReadSubject(old.Folder, m.Uid)));
    }

    [Fact]
    public async Task DeleteRefusesInboxAndParentsAndExpungesOpenSessions()
    {
        Store.CreateFolder(MailboxTestContext.User, "Parent/Child");
        Assert.Equal(FolderResult.CannotDeleteInbox, Store.DeleteFolder(MailboxTestContext.User, "Inbox"));
        Assert.Equal(FolderResult.HasChildrenNoSelect, Store.DeleteFolder(MailboxTestContext.User, "Parent"));
        Assert.Equal(FolderResult.NotFound, Store.DeleteFolder(MailboxTestContext.User, "Nothing"));
        using FolderLease child = _context.Open("Parent/Child");
        await MailboxTestContext.AppendAsync(child.Folder, "x");
        int changed = 0;
        child.Folder.Changed += () => changed++;

        Assert.Equal(FolderResult.Ok, Store.DeleteFolder(MailboxTestContext.User, "Parent/Child"));

        Assert.Empty(child.Folder.Current.Messages);
        Assert.Equal(1, changed);
        Assert.False(Directory.Exists(Path.Combine(_context.Maildir, ".Parent.Child")));
        Assert.Null(Store.OpenFolder(MailboxTestContext.User, "Parent/Child"));
        Assert.Equal(FolderResult.Ok, Store.DeleteFolder(MailboxTestContext.User, "Parent"));
        Assert.Equal(FolderResult.Ok, Store.CreateFolder(MailboxTestContext.User, "Parent/Child"));
        using FolderLease recreated = _context.Open("Parent/Child");
        Assert.Empty(recreated.Folder.Current.Messages);
        Assert.NotEqual(child.Folder.Current.UidValidity, recreated.Folder.Current.UidValidity);
    }

    [Fact]
    public void SubscriptionsMayNameMissingFoldersAndPersist()
    {
        Store.SetSubscribed(MailboxTestContext.User, "Not/There", true);
        Store.SetSubscribed(MailboxTestContext.User, "Junk", false);
        _context.Restart();

        IReadOnlyList<string> subscriptions = Store.GetSubscriptions(MailboxTestContext.User);
        Assert.Contains("Not/There", subscriptions);
        Assert.DoesNotContain("Junk", subscriptions);
        Assert.False(Store.ListFolders(MailboxTestContext.User).Single(f => f.Name == "Junk").Subscribed);
        Assert.Contains("Junk", Store.ListFolders(MailboxTestContext.User).Select(f => f.Name));
    }
}
