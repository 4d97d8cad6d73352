using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>Save transactions: several messages at once, abort, COPY and MOVE.</summary>
public abstract partial class MailboxStoreContract
{
    [Fact]
    public async Task ATransactionShowsItsMessagesOnlyAtTheCommitWithConsecutiveUids()
    {
        using FolderLease lease = Open("Archive");
        await AppendAsync(lease.Folder, "before");
        using SaveTransaction save = lease.Folder.BeginSave();
        foreach (string subject in (string[])["one", "two", "three"])
        {
            MessageWriter writer = save.BeginMessage(MessageFlags.Seen, [], null);
            await writer.WriteAsync(Message(subject).AsMemory(0, 5), TestContext.Current.CancellationToken);
            await writer.WriteAsync(Message(subject).AsMemory(5), TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);
            Assert.Equal(Message(subject).Length, writer.Size);
        }

        Assert.Single(lease.Folder.Refresh().Messages);

        SaveResult saved = await save.CommitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(lease.Folder.Current.UidValidity, saved.UidValidity);
        Assert.Equal([2u, 3u, 4u], saved.Uids);
        Assert.Equal(["before", "one", "two", "three"], Subjects(lease.Folder));
        Assert.All(lease.Folder.Current.Messages.Skip(1), m => Assert.Equal(MessageFlags.Seen, m.Flags));
        Assert.Single(lease.Folder.Current.Messages.Skip(1).Select(m => m.ModSeq).Distinct());
    }

    [Fact]
    public async Task ATransactionDisposedWithoutACommitLeavesNothing()
    {
        using FolderLease lease = Open();
        using (SaveTransaction save = lease.Folder.BeginSave())
        {
            MessageWriter complete = save.BeginMessage(MessageFlags.None, [], null);
            await complete.WriteAsync(Message("complete"), TestContext.Current.CancellationToken);
            await complete.CompleteAsync(TestContext.Current.CancellationToken);
            MessageWriter half = save.BeginMessage(MessageFlags.None, [], null);
            await half.WriteAsync(Message("half"), TestContext.Current.CancellationToken);
        }

        using (SaveTransaction delivery = Store.BeginDelivery(User))
        {
            MessageWriter writer = delivery.BeginMessage(MessageFlags.None, [], null);
            await writer.WriteAsync(Message("never delivered"), TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);
        }

        Assert.Empty(lease.Folder.Refresh().Messages);
        Assert.Equal(1u, lease.Folder.Current.UidNext);
        AssertNothingLeftBehind(User);
    }

    [Fact]
    public async Task AMessageStillBeingWrittenBlocksTheCommitAndTheNextMessage()
    {
        using FolderLease lease = Open();
        using SaveTransaction save = lease.Folder.BeginSave();
        MessageWriter writer = save.BeginMessage(MessageFlags.None, [], null);
        await writer.WriteAsync(Message("open"), TestContext.Current.CancellationToken);

        Assert.Throws<InvalidOperationException>(() => save.BeginMessage(MessageFlags.None, [], null));
        await Assert.ThrowsAsync<InvalidOperationException>(() => save.CommitAsync(TestContext.Current.CancellationToken).AsTask());
        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(Message("late"), TestContext.Current.CancellationToken).AsTask());
        Assert.Single((await save.CommitAsync(TestContext.Current.CancellationToken)).Uids);
        await Assert.ThrowsAsync<InvalidOperationException>(() => save.CommitAsync(TestContext.Current.CancellationToken).AsTask());
        Assert.Throws<InvalidOperationException>(() => save.BeginMessage(MessageFlags.None, [], null));
    }

    [Fact]
    public async Task AnEmptyTransactionCommitsToNothing()
    {
        using FolderLease lease = Open();
        using SaveTransaction save = lease.Folder.BeginSave();

        SaveResult saved = await save.CommitAsync(TestContext.Current.CancellationToken);

        Assert.Empty(saved.Uids);
        Assert.Empty(lease.Folder.Current.Messages);
    }

    [Fact]
    public async Task CopyKeepsFlagsKeywordsAndDatesAndReturnsUidPlusData()
    {
        using FolderLease inbox = Open();
        using FolderLease archive = Open("Archive");
        var date = new DateTimeOffset(2021, 1, 2, 3, 4, 5, TimeSpan.Zero);
        uint a = await StoreOperations.AppendAsync(inbox.Folder, Message("a"), MessageFlags.Seen, ["$Label1"], date);
        uint b = await AppendAsync(inbox.Folder, "b", MessageFlags.Flagged);
        await AppendAsync(archive.Folder, "already there");

        CopyResult result = await inbox.Folder.CopyToAsync(archive.Folder, [b, a, 99], TestContext.Current.CancellationToken);

        Assert.Equal(archive.Folder.Current.UidValidity, result.DestinationUidValidity);
        Assert.Equal([a, b], result.SourceUids);
        Assert.Equal([2u, 3u], result.DestinationUids);
        FolderView target = archive.Folder.Current;
        MessageRecord copiedA = target.Messages[target.IndexOfUid(2)];
        Assert.Equal(MessageFlags.Seen, copiedA.Flags);
        Assert.Equal(["$Label1"], copiedA.Keywords);
        Assert.Equal(date, copiedA.InternalDate);
        Assert.Equal(Message("a").Length, copiedA.Size);
        Assert.Equal(MessageFlags.Flagged, target.Messages[target.IndexOfUid(3)].Flags);
        Assert.Equal("b", Subject(archive.Folder, 3));
        Assert.Equal(2, inbox.Folder.Current.Messages.Count);
        Assert.NotEqual(inbox.Folder.Current.Messages[0].BaseName, copiedA.BaseName);
    }

    [Fact]
    public async Task CopiesAndNewMessagesShareOneTransaction()
    {
        using FolderLease inbox = Open();
        using FolderLease sent = Open("Sent");
        uint a = await AppendAsync(inbox.Folder, "copied");
        using SaveTransaction save = sent.Folder.BeginSave();

        Assert.Equal([a], save.AddCopies(inbox.Folder, [a]));
        MessageWriter writer = save.BeginMessage(MessageFlags.None, [], null);
        await writer.WriteAsync(Message("new"), TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        Assert.Empty(sent.Folder.Refresh().Messages);
        SaveResult saved = await save.CommitAsync(TestContext.Current.CancellationToken);

        Assert.Equal([1u, 2u], saved.Uids);
        Assert.Equal(["copied", "new"], Subjects(sent.Folder));
    }

    [Fact]
    public async Task MoveRemovesTheSourceMessages()
    {
        using FolderLease inbox = Open();
        using FolderLease trash = Open("Trash");
        uint a = await AppendAsync(inbox.Folder, "a", MessageFlags.Seen);
        uint b = await AppendAsync(inbox.Folder, "b");

        CopyResult result = await inbox.Folder.MoveToAsync(trash.Folder, [a], TestContext.Current.CancellationToken);

        Assert.Equal([a], result.SourceUids);
        Assert.Equal([b], inbox.Folder.Current.Messages.Select(m => m.Uid));
        Assert.Equal(result.DestinationUids, trash.Folder.Current.Messages.Select(m => m.Uid));
        Assert.Equal(MessageFlags.Seen, trash.Folder.Current.Messages[0].Flags);
        Assert.Equal("a", Subject(trash.Folder, result.DestinationUids[0]));
    }

    [Fact]
    public async Task CopyingAnotherUsersMessagesIsRefused()
    {
        using FolderLease mine = Open();
        using FolderLease theirs = Open(user: OtherUser);
        uint uid = await AppendAsync(theirs.Folder, "private");

        await Assert.ThrowsAsync<ArgumentException>(() => theirs.Folder.CopyToAsync(mine.Folder, [uid], TestContext.Current.CancellationToken).AsTask());

        Assert.Empty(mine.Folder.Current.Messages);
    }

    /// <summary>The backend keeps no trace of writes that were never committed (Maildir: nothing in tmp/).</summary>
    protected virtual void AssertNothingLeftBehind(string user)
    {
    }
}
