using System.Text;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>Messages in a folder: APPEND, delivery, content, sizes, flags, expunge, \Recent, cached data, UIDs.</summary>
public abstract partial class MailboxStoreContract
{
    [Fact]
    public async Task AppendStoresContentFlagsKeywordsAndInternalDate()
    {
        using FolderLease lease = Open("Drafts");
        var date = new DateTimeOffset(2020, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        byte[] content = Message("draft");

        uint uid = await StoreOperations.AppendAsync(lease.Folder, content, MessageFlags.Draft, ["Work", "$Important", "work"], date);

        FolderView view = lease.Folder.Current;
        MessageRecord record = view.Messages[view.IndexOfUid(uid)];
        Assert.Equal(content.Length, record.Size);
        Assert.Equal(content.Length, lease.Folder.GetWireSize(record));
        Assert.Equal(date, record.InternalDate);
        Assert.Equal(date.Offset, record.InternalDate.Offset);
        Assert.Equal(MessageFlags.Draft, record.Flags);
        Assert.Equal(["$Important", "Work"], record.Keywords);
        Assert.Equal(["$Important", "Work"], lease.Folder.KnownKeywords);
        Assert.Equal(content, StoreOperations.Read(lease.Folder, uid));
        Assert.Equal(uid + 1, view.UidNext);
        Assert.False(string.IsNullOrEmpty(record.BaseName));
    }

    [Fact]
    public async Task AnAppendWithoutADateIsDatedNow()
    {
        using FolderLease lease = Open();
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-2);

        uint uid = await StoreOperations.AppendAsync(lease.Folder, Message("now"));

        DateTimeOffset date = lease.Folder.Current.Messages.Single(m => m.Uid == uid).InternalDate;
        Assert.InRange(date, before, DateTimeOffset.UtcNow.AddSeconds(2));
    }

    [Fact]
    public async Task DeliveredMailAppearsInTheInboxInDeliveryOrderWithItsPrefix()
    {
        byte[] prefix = "Delivered-To: alice@example.org\r\n"u8.ToArray();
        await StoreOperations.DeliverAsync(Store, "Alice@Example.org", Message("first"), prefix);
        await StoreOperations.DeliverAsync(Store, User, Message("second"));

        using FolderLease inbox = Open();
        FolderView view = inbox.Folder.Refresh();
        Assert.Equal(2, view.Messages.Count);
        Assert.True(view.Messages[0].Uid < view.Messages[1].Uid);
        Assert.Equal([.. prefix, .. Message("first")], StoreOperations.Read(inbox.Folder, view.Messages[0].Uid));
        Assert.Equal(prefix.Length + Message("first").Length, view.Messages[0].Size);
        Assert.Equal(MessageFlags.None, view.Messages[0].Flags);
        Assert.NotEqual(view.Messages[0].BaseName, view.Messages[1].BaseName);
    }

    [Fact]
    public async Task DeliveryToAFolderAlreadyOpenIsAnnouncedToItsHolders()
    {
        using FolderLease inbox = Open();
        using var announced = new SemaphoreSlim(0);
        inbox.Folder.Changed += () => announced.Release();

        await StoreOperations.DeliverAsync(Store, User, Message("news"));

        Assert.True(await announced.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(["news"], Subjects(inbox.Folder));
    }

    [Fact]
    public void ADeliveryCarriesNoKeywords()
    {
        using SaveTransaction delivery = Store.BeginDelivery(User);

        Assert.Throws<ArgumentException>(() => delivery.BeginMessage(MessageFlags.None, ["$Label1"], null));
    }

    [Fact]
    public async Task WireSizesCountBareLineFeedsAndTheUnterminatedLastLineAsCrlf()
    {
        using FolderLease lease = Open();
        uint crlf = await StoreOperations.AppendAsync(lease.Folder, "Subject: a\r\n\r\nb\r\n"u8.ToArray());
        uint bare = await StoreOperations.AppendAsync(lease.Folder, "Subject: a\n\nb\n"u8.ToArray());
        uint open = await StoreOperations.AppendAsync(lease.Folder, "Subject: a\r\n\r\nno end"u8.ToArray());

        FolderView view = lease.Folder.Current;
        Assert.Equal(17, lease.Folder.GetWireSize(view.Messages[view.IndexOfUid(crlf)]));
        Assert.Equal(17, lease.Folder.GetWireSize(view.Messages[view.IndexOfUid(bare)]));
        Assert.Equal(14, view.Messages[view.IndexOfUid(bare)].Size);
        Assert.Equal(22, lease.Folder.GetWireSize(view.Messages[view.IndexOfUid(open)]));
    }

    [Fact]
    public async Task ContentOfAnExpungedMessageIsGone()
    {
        using FolderLease lease = Open();
        uint uid = await AppendAsync(lease.Folder, "short-lived", MessageFlags.Deleted);
        MessageRecord record = lease.Folder.Current.Messages.Single();

        lease.Folder.Expunge(null);

        Assert.Throws<MessageGoneException>(() => lease.Folder.OpenContent(uid));
        Assert.Throws<MessageGoneException>(() => lease.Folder.OpenContent(999));
        Assert.Null(lease.Folder.GetCached(uid, CachedField.Envelope));
        Assert.Throws<MessageGoneException>(() => lease.Folder.GetWireSize(record with { WireSize = -1 }));
    }

    [Fact]
    public async Task ExpungeRemovesOnlyDeletedMessagesAmongTheGivenUidsAndRaisesTheModSeq()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint a = await AppendAsync(folder, "a", MessageFlags.Deleted);
        uint b = await AppendAsync(folder, "b", MessageFlags.Deleted);
        uint c = await AppendAsync(folder, "c");
        ulong modSeq = folder.Current.HighestModSeq;

        Assert.Equal([b], folder.Expunge([b, c]));
        Assert.Equal([a, c], folder.Current.Messages.Select(m => m.Uid));
        Assert.True(folder.Current.HighestModSeq > modSeq);
        Assert.Equal([a], folder.Expunge(null));
        Assert.Equal([c], folder.Current.Messages.Select(m => m.Uid));
        Assert.Empty(folder.Expunge(null));
    }

    [Fact]
    public async Task RemoveTakesTheGivenMessagesWhateverTheirFlags()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint a = await AppendAsync(folder, "a", MessageFlags.Seen);
        uint b = await AppendAsync(folder, "b");

        Assert.Equal([a], folder.Remove([a, 999]));

        Assert.Equal([b], folder.Current.Messages.Select(m => m.Uid));
        Assert.Empty(folder.Remove([a]));
    }

    [Fact]
    public async Task UidsAreNeverReused()
    {
        using FolderLease lease = Open();
        uint first = await AppendAsync(lease.Folder, "a");
        lease.Folder.Remove([first]);

        uint second = await AppendAsync(lease.Folder, "b");

        Assert.True(second > first);
        Assert.Equal(second + 1, lease.Folder.Current.UidNext);
    }

    [Fact]
    public async Task UpdateFlagsWithUnchangedSinceReportsModifiedMessages()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint a = await AppendAsync(folder, "a");
        ulong old = folder.Current.HighestModSeq;
        uint b = await AppendAsync(folder, "b");

        FlagUpdateResult result = folder.UpdateFlags([a, b, 999], FlagUpdateMode.Add, MessageFlags.Seen, [], old);

        Assert.Equal([b], result.Modified);
        MessageRecord changed = Assert.Single(result.Changed);
        Assert.Equal(a, changed.Uid);
        Assert.Equal(MessageFlags.Seen, changed.Flags);
        Assert.Equal(folder.Current.HighestModSeq, changed.ModSeq);
        Assert.Equal(MessageFlags.None, folder.Current.Messages[1].Flags);
        Assert.Empty(folder.UpdateFlags([a], FlagUpdateMode.Add, MessageFlags.Seen, [], null).Changed);
    }

    [Fact]
    public async Task FlagsAndKeywordsAreAddedRemovedAndReplaced()
    {
        using FolderLease lease = Open();
        MailFolder folder = lease.Folder;
        uint uid = await AppendAsync(folder, "a", MessageFlags.Flagged, "Urgent");

        folder.UpdateFlags([uid], FlagUpdateMode.Add, MessageFlags.Seen | MessageFlags.Answered, ["$Forwarded", "urgent"], null);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered | MessageFlags.Flagged, Record(folder, uid).Flags);
        Assert.Equal(["$Forwarded", "Urgent"], Record(folder, uid).Keywords);

        folder.UpdateFlags([uid], FlagUpdateMode.Remove, MessageFlags.Flagged, ["URGENT"], null);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Answered, Record(folder, uid).Flags);
        Assert.Equal(["$Forwarded"], Record(folder, uid).Keywords);

        folder.UpdateFlags([uid], FlagUpdateMode.Replace, MessageFlags.Draft, [], null);
        Assert.Equal(MessageFlags.Draft, Record(folder, uid).Flags);
        Assert.Empty(Record(folder, uid).Keywords);
        Assert.Empty(folder.KnownKeywords);
    }

    [Fact]
    public async Task EveryChangeIsAnnouncedToTheHoldersOfTheFolder()
    {
        using FolderLease first = Open();
        using FolderLease second = Open();
        int changes = 0;
        second.Folder.Changed += () => Interlocked.Increment(ref changes);

        uint uid = await AppendAsync(first.Folder, "a");
        first.Folder.UpdateFlags([uid], FlagUpdateMode.Add, MessageFlags.Deleted, [], null);
        first.Folder.Expunge(null);

        Assert.Equal(3, changes);
        Assert.Empty(second.Folder.Current.Messages);
    }

    [Fact]
    public async Task AMessageThatArrivesAfterAClaimantsViewIsLeftRecentForTheNextClaimant()
    {
        using FolderLease lease = Open();
        uint a = await AppendAsync(lease.Folder, "a");
        uint firstViewUidNext = lease.Folder.Current.UidNext;
        uint b = await AppendAsync(lease.Folder, "b");

        Assert.Equal(a, lease.Folder.ClaimRecent(firstViewUidNext));
        Assert.Equal(b, lease.Folder.RecentBoundary);
        Assert.Equal(b, lease.Folder.ClaimRecent(lease.Folder.Current.UidNext));
        Assert.Equal(lease.Folder.Current.UidNext, lease.Folder.RecentBoundary);
    }

    [Fact]
    public async Task RecentMessagesAreClaimedOnceAndTheBoundaryIsReadWithoutClaiming()
    {
        using FolderLease lease = Open();
        uint a = await AppendAsync(lease.Folder, "a");

        Assert.True(lease.Folder.RecentBoundary <= a);
        Assert.True(lease.Folder.RecentBoundary <= a);
        Assert.Equal(a, lease.Folder.ClaimRecent(lease.Folder.Current.UidNext));
        Assert.Equal(lease.Folder.Current.UidNext, lease.Folder.ClaimRecent(lease.Folder.Current.UidNext));
        Assert.Equal(lease.Folder.Current.UidNext, lease.Folder.RecentBoundary);
        uint b = await AppendAsync(lease.Folder, "b");
        Assert.Equal(b, lease.Folder.RecentBoundary);
    }

    [Fact]
    public async Task CachedDataIsKeptUntilTheMessageLeaves()
    {
        using FolderLease lease = Open();
        uint uid = await AppendAsync(lease.Folder, "a", MessageFlags.Deleted);
        byte[] envelope = Encoding.ASCII.GetBytes("(NIL \"a\")");

        lease.Folder.SetCached(uid, CachedField.Envelope, envelope);
        lease.Folder.SetCached(999, CachedField.Envelope, envelope);

        Assert.Equal(envelope, lease.Folder.GetCached(uid, CachedField.Envelope));
        Assert.Null(lease.Folder.GetCached(999, CachedField.Envelope));
        lease.Folder.Expunge(null);
        Assert.Null(lease.Folder.GetCached(uid, CachedField.Envelope));
        Assert.Null(lease.Folder.GetCached(uid, CachedField.BodyStructure));
    }

    private static MessageRecord Record(MailFolder folder, uint uid) => folder.Current.Messages.Single(m => m.Uid == uid);
}
