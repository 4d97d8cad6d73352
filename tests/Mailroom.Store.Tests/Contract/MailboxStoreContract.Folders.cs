using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>A user's folders: LIST, CREATE, DELETE, RENAME, subscriptions, and the names a store takes.</summary>
public abstract partial class MailboxStoreContract
{
    [Fact]
    public void ANewUserHasInboxAndTheSubscribedSpecialUseFolders()
    {
        IReadOnlyList<FolderInfo> folders = Store.ListFolders(User);

        Assert.Equal("INBOX", folders[0].Name);
        Assert.Equal(
            [("Archive", SpecialUse.Archive), ("Drafts", SpecialUse.Drafts), ("Junk", SpecialUse.Junk), ("Sent", SpecialUse.Sent), ("Trash", SpecialUse.Trash)],
            folders.Skip(1).Select(f => (f.Name, f.SpecialUse)));
        Assert.All(folders, f => Assert.True(f.Subscribed));
        Assert.Equal(["INBOX", "Drafts", "Sent", "Trash", "Junk", "Archive"], Store.GetSubscriptions(User));
    }

    [Fact]
    public void InboxOpensInAnyCaseAndAMissingFolderDoesNotOpen()
    {
        using FolderLease inbox = Open("inBox");

        Assert.Equal("INBOX", inbox.Folder.Name);
        Assert.Equal(User, inbox.Folder.User);
        Assert.Null(Store.OpenFolder(User, "Nothing"));
    }

    [Fact]
    public void FoldersOpenedTwiceAreOneSharedFolder()
    {
        using FolderLease first = Open("Sent");
        using FolderLease second = Open("Sent");

        Assert.Same(first.Folder, second.Folder);
        Assert.Equal(SpecialUse.Sent, first.Folder.SpecialUse);
    }

    [Fact]
    public void CreateMakesParentsAndListShowsChildren()
    {
        Assert.Equal(FolderResult.Ok, Store.CreateFolder(User, "Projects/2024/Q1/"));
        Assert.Equal(FolderResult.AlreadyExists, Store.CreateFolder(User, "Projects/2024"));
        Assert.Equal(FolderResult.AlreadyExists, Store.CreateFolder(User, "inbox"));

        IReadOnlyList<FolderInfo> folders = Store.ListFolders(User);
        Assert.True(folders.Single(f => f.Name == "Projects").HasChildren);
        Assert.True(folders.Single(f => f.Name == "Projects/2024").HasChildren);
        Assert.False(folders.Single(f => f.Name == "Projects/2024/Q1").HasChildren);
        Assert.False(folders.Single(f => f.Name == "Projects/2024/Q1").Subscribed);
        using FolderLease lease = Open("Projects/2024/Q1");
        Assert.Equal(SpecialUse.None, lease.Folder.SpecialUse);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("a//b")]
    [InlineData("/a")]
    public void MalformedFolderNamesAreInvalid(string name)
    {
        Assert.Equal(FolderResult.InvalidName, Store.CreateFolder(User, name));
        Assert.Null(Store.OpenFolder(User, name));
        Assert.Equal(FolderResult.InvalidName, Store.DeleteFolder(User, name));
        Assert.Equal(FolderResult.InvalidName, Store.RenameFolder(User, name, "Elsewhere"));
        Assert.Throws<ArgumentException>(() => Store.SetSubscribed(User, name, true));
    }

    [Fact]
    public void ANameWithALoneSurrogateIsInvalid()
    {
        Assert.Equal(FolderResult.InvalidName, Store.CreateFolder(User, "a" + '\ud800' + "b"));
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("100%")]
    [InlineData("Entwürfe/Größe")]
    [InlineData("..")]
    [InlineData("a\\b")]
    public void NamesWithCharactersOfPathsAreOrdinaryFolders(string name)
    {
        Assert.Equal(FolderResult.Ok, Store.CreateFolder(User, name));

        Assert.Contains(Store.ListFolders(User), f => f.Name == name);
        using FolderLease lease = Open(name);
        Assert.Equal(name, lease.Folder.Name);
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("../x@example.org")]
    [InlineData("a@..")]
    [InlineData("a/b@example.org")]
    [InlineData(".hidden@example.org")]
    [InlineData("@example.org")]
    [InlineData("a@")]
    public void UserNamesThatCannotBeStoredAreRefused(string user)
    {
        Assert.Throws<ArgumentException>(() => Store.ListFolders(user));
        Assert.Throws<ArgumentException>(() => Store.BeginDelivery(user));
        Assert.Throws<ArgumentException>(() => Store.MeasureUsedBytes(user));
    }

    [Fact]
    public void UserNamesDifferingOnlyInCaseAreOneUser()
    {
        Store.CreateFolder("Alice@Example.ORG", "Mine");

        Assert.Contains(Store.ListFolders(User), f => f.Name == "Mine");
        Assert.DoesNotContain(Store.ListFolders(OtherUser), f => f.Name == "Mine");
    }

    [Fact]
    public async Task DeleteRefusesInboxAndParentsAndEmptiesTheFolderForItsHolders()
    {
        Store.CreateFolder(User, "Parent/Child");
        Assert.Equal(FolderResult.CannotDeleteInbox, Store.DeleteFolder(User, "Inbox"));
        Assert.Equal(FolderResult.HasChildrenNoSelect, Store.DeleteFolder(User, "Parent"));
        Assert.Equal(FolderResult.NotFound, Store.DeleteFolder(User, "Nothing"));
        using FolderLease child = Open("Parent/Child");
        await AppendAsync(child.Folder, "x");
        ulong modSeq = child.Folder.Current.HighestModSeq;
        int changed = 0;
        child.Folder.Changed += () => changed++;

        Assert.Equal(FolderResult.Ok, Store.DeleteFolder(User, "Parent/Child"));

        Assert.Empty(child.Folder.Current.Messages);
        Assert.True(child.Folder.Current.HighestModSeq > modSeq);
        Assert.Equal(1, changed);
        Assert.Null(Store.OpenFolder(User, "Parent/Child"));
        Assert.Equal(FolderResult.Ok, Store.DeleteFolder(User, "Parent"));
        Assert.Equal(FolderResult.Ok, Store.CreateFolder(User, "Parent/Child"));
        using FolderLease recreated = Open("Parent/Child");
        Assert.Empty(recreated.Folder.Current.Messages);
        Assert.NotEqual(child.Folder.Current.UidValidity, recreated.Folder.Current.UidValidity);
    }

    [Fact]
    public void DeletingAFolderKeepsItsSubscription()
    {
        Store.CreateFolder(User, "Gone");
        Store.SetSubscribed(User, "Gone", true);

        Store.DeleteFolder(User, "Gone");

        Assert.Contains("Gone", Store.GetSubscriptions(User));
    }

    [Fact]
    public async Task RenameMovesChildrenAndSubscriptionsAndOpenFoldersFollow()
    {
        Store.CreateFolder(User, "Old/Child");
        Store.SetSubscribed(User, "Old/Child", true);
        using FolderLease child = Open("Old/Child");
        uint uid = await AppendAsync(child.Folder, "kept");

        Assert.Equal(FolderResult.Ok, Store.RenameFolder(User, "Old", "New/Name"));

        Assert.Equal("New/Name/Child", child.Folder.Name);
        Assert.Null(Store.OpenFolder(User, "Old"));
        Assert.Equal("kept", Subject(child.Folder, uid));
        Assert.Contains("New/Name/Child", Store.GetSubscriptions(User));
        Assert.DoesNotContain("Old/Child", Store.GetSubscriptions(User));
        using FolderLease renamed = Open("New/Name/Child");
        Assert.Equal([uid], renamed.Folder.Current.Messages.Select(m => m.Uid));
        Assert.Equal(FolderResult.NotFound, Store.RenameFolder(User, "Old", "Other"));
        Assert.Equal(FolderResult.AlreadyExists, Store.RenameFolder(User, "New", "Sent"));
        Assert.Equal(FolderResult.AlreadyExists, Store.RenameFolder(User, "New", "INBOX"));
        Assert.Equal(FolderResult.InvalidName, Store.RenameFolder(User, "New", "New/Inner"));
    }

    [Fact]
    public async Task RenamingInboxMovesItsMessagesAndLeavesItEmpty()
    {
        await StoreOperations.DeliverAsync(Store, User, Message("one"));
        await StoreOperations.DeliverAsync(Store, User, Message("two"));

        Assert.Equal(FolderResult.Ok, Store.RenameFolder(User, "INBOX", "Old Mail"));

        using FolderLease inbox = Open();
        Assert.Empty(inbox.Folder.Refresh().Messages);
        using FolderLease old = Open("Old Mail");
        Assert.Equal(["one", "two"], Subjects(old.Folder));
    }

    [Fact]
    public void SubscriptionsMayNameMissingFolders()
    {
        Store.SetSubscribed(User, "Not/There", true);
        Store.SetSubscribed(User, "Not/There", true);
        Store.SetSubscribed(User, "Junk", false);

        IReadOnlyList<string> subscriptions = Store.GetSubscriptions(User);
        Assert.Single(subscriptions, "Not/There");
        Assert.DoesNotContain("Junk", subscriptions);
        Assert.False(Store.ListFolders(User).Single(f => f.Name == "Junk").Subscribed);
    }
}
