using System.Text;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>
/// The index entry (<see cref="IMessageIndexer"/>) is computed inside the save transaction, so a first FETCH reads it
/// instead of the message: APPEND, delivery, COPY and MOVE (which take the source's entry without reading anything).
/// </summary>
public abstract partial class MailboxStoreContract
{
    [Fact]
    public async Task AnAppendedMessageIsIndexedByTheSaveItself()
    {
        using FolderLease lease = Open("Archive");
        uint uid = await AppendAsync(lease.Folder, "indexed");

        Assert.Equal(1, Indexer.FullCalls);
        Assert.Equal(RecordingIndexer.Envelope(Message("indexed")), lease.Folder.GetCached(uid, CachedField.Envelope));
        Assert.Equal(Encoding.ASCII.GetBytes("structure " + Message("indexed").Length), lease.Folder.GetCached(uid, CachedField.BodyStructure));
        Assert.NotNull(lease.Folder.GetCached(uid, CachedField.SortKeys));
    }

    [Fact]
    public async Task ADeliveredMessageBringsItsIndexEntryToTheUidItIsGiven()
    {
        await StoreOperations.DeliverAsync(Store, User, Message("delivered"));
        using FolderLease inbox = Open();
        MessageRecord record = Assert.Single(inbox.Folder.Refresh().Messages);

        Assert.Equal(RecordingIndexer.Envelope(Message("delivered")), inbox.Folder.GetCached(record.Uid, CachedField.Envelope));
        Assert.NotNull(inbox.Folder.GetCached(record.Uid, CachedField.BodyStructure));
        Assert.Equal(1, Indexer.FullCalls);
        Assert.Equal(0, Indexer.HeaderCalls);
    }

    [Fact]
    public async Task CopyAndMoveTakeTheSourcesEntryWithoutReadingTheMessageAgain()
    {
        using FolderLease source = Open();
        using FolderLease target = Open("Archive");
        uint first = await AppendAsync(source.Folder, "copied");
        uint second = await AppendAsync(source.Folder, "moved");

        CopyResult copy = await source.Folder.CopyToAsync(target.Folder, [first], TestContext.Current.CancellationToken);
        CopyResult move = await source.Folder.MoveToAsync(target.Folder, [second], TestContext.Current.CancellationToken);

        Assert.Equal(2, Indexer.FullCalls);
        Assert.Equal(RecordingIndexer.Envelope(Message("copied")), target.Folder.GetCached(Assert.Single(copy.DestinationUids), CachedField.Envelope));
        Assert.Equal(RecordingIndexer.Envelope(Message("moved")), target.Folder.GetCached(Assert.Single(move.DestinationUids), CachedField.Envelope));
        Assert.Equal(source.Folder.GetCached(first, CachedField.BodyStructure), target.Folder.GetCached(copy.DestinationUids[0], CachedField.BodyStructure));
    }

    [Fact]
    public async Task AFailingIndexerCostsOnlyTheEntryNeverTheSaveOrTheDelivery()
    {
        UseFailingIndexer();
        using FolderLease archive = Open("Archive");
        uint uid = await AppendAsync(archive.Folder, "saved anyway");
        await StoreOperations.DeliverAsync(Store, User, Message("delivered anyway"));
        using FolderLease inbox = Open();

        Assert.Equal("saved anyway", Subject(archive.Folder, uid));
        Assert.Null(archive.Folder.GetCached(uid, CachedField.Envelope));
        Assert.Equal(["delivered anyway"], Subjects(inbox.Folder));
    }
}
