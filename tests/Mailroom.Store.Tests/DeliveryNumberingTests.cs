using System.Text;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Mailroom.Store.Tests.Contract;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Tests;

/// <summary>
/// Delivered mail gets its UID and index rows at delivery (as Dovecot's LMTP gives them), so the first EXAMINE reads an
/// index; a crash between the rename and the numbering is repaired by the next reader; a folder busy indexing does not
/// hold a delivery back: the next reader numbers what it could not.
/// </summary>
public sealed class DeliveryNumberingTests : IDisposable
{
    private const string User = "dana@example.org";
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-numbering-");

    public void Dispose() => _root.Delete(recursive: true);

    private string Maildir => Path.Combine(_root.FullName, "example.org", "dana");

    [Fact]
    public async Task DeliveredMailIsNumberedAndIndexedAtDeliverySoTheFirstExamineReadsNoMessage()
    {
        using (MaildirStore store = NewStore(new RecordingIndexer()))
        {
            foreach (string subject in (string[])["one", "two", "three"])
            {
                await StoreOperations.DeliverAsync(store, User, Message(subject));
            }
        }

        string[] uidlist = File.ReadAllLines(Path.Combine(Maildir, UidList.FileName));
        Assert.Equal(["1", "2", "3"], uidlist.Skip(1).Select(static line => line.Split(' ')[0]));

        var indexer = new RecordingIndexer();
        using MaildirStore reader = NewStore(indexer);
        using FolderLease inbox = reader.ExamineFolder(User, "INBOX")!;

        Assert.Equal([1u, 2u, 3u], inbox.Folder.Current.Messages.Select(static m => m.Uid));
        Assert.Equal(
            ["one", "two", "three"],
            inbox.Folder.Current.Messages.Select(m => Encoding.ASCII.GetString(inbox.Folder.GetCached(m.Uid, CachedField.Envelope)!)["envelope Subject: ".Length..]));
        Assert.Equal(0, indexer.HeaderCalls + indexer.FullCalls);
        Assert.Equal(3, System.IO.Directory.GetFiles(Path.Combine(Maildir, "new")).Length);
        Assert.Equal(1u, inbox.Folder.RecentBoundary);
    }

    [Fact]
    public async Task AUidGivenAtDeliveryStaysWhenASelectMovesTheFileToCur()
    {
        using MaildirStore store = NewStore(new RecordingIndexer());
        await StoreOperations.DeliverAsync(store, User, Message("one"));
        await StoreOperations.DeliverAsync(store, User, Message("two"));

        using (FolderLease selected = store.OpenFolder(User, "INBOX")!)
        {
            Assert.Equal([1u, 2u], selected.Folder.Current.Messages.Select(static m => m.Uid));
            Assert.Equal(Message("two"), StoreOperations.Read(selected.Folder, 2));
        }

        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(Maildir, "new")));
        using MaildirStore again = NewStore(new RecordingIndexer());
        using FolderLease examined = again.ExamineFolder(User, "INBOX")!;
        Assert.Equal([1u, 2u], examined.Folder.Current.Messages.Select(static m => m.Uid));
        Assert.Equal(Message("one"), StoreOperations.Read(examined.Folder, 1));
    }

    [Fact]
    public async Task AFileRenamedInWithoutItsUidGetsOneAndARowWhoseFileIsGoneIsDropped()
    {
        using (MaildirStore store = NewStore(new RecordingIndexer()))
        {
            await StoreOperations.DeliverAsync(store, User, Message("one"));
            await StoreOperations.DeliverAsync(store, User, Message("two"));
        }

        // A crash between a delivery's rename into new/ and its numbering: the file is there, the uidlist and index
        // know nothing of it. And a numbered message's file removed behind the store's back.
        string newDirectory = Path.Combine(Maildir, "new");
        await File.WriteAllBytesAsync(Path.Combine(newDirectory, "1900000000.M1P1Q1.crashed"), Message("three"), TestContext.Current.CancellationToken);
        File.Delete(System.IO.Directory.GetFiles(newDirectory).Single(f => File.ReadAllBytes(f).SequenceEqual(Message("one"))));

        var indexer = new RecordingIndexer();
        using MaildirStore reader = NewStore(indexer);
        using FolderLease inbox = reader.ExamineFolder(User, "INBOX")!;

        Assert.Equal([2u, 3u], inbox.Folder.Current.Messages.Select(static m => m.Uid));
        Assert.Equal(RecordingIndexer.Envelope(Message("two")), inbox.Folder.GetCached(2, CachedField.Envelope));
        Assert.Equal(RecordingIndexer.Envelope(Message("three")), inbox.Folder.GetCached(3, CachedField.Envelope));
        Assert.Equal(1, indexer.HeaderCalls);
    }

    [Fact]
    public async Task ConcurrentDeliveriesToOneInboxGetDistinctConsecutiveUidsAndTheirOwnEntries()
    {
        using (MaildirStore store = NewStore(new RecordingIndexer()))
        {
            var deliveries = new Task[48];
            for (int i = 0; i < deliveries.Length; i++)
            {
                byte[] message = Message("n" + i);
                deliveries[i] = Task.Run(() => StoreOperations.DeliverAsync(store, User, message), TestContext.Current.CancellationToken);
            }

            await Task.WhenAll(deliveries);
        }

        var indexer = new RecordingIndexer();
        using MaildirStore reader = NewStore(indexer);
        using FolderLease inbox = reader.ExamineFolder(User, "INBOX")!;

        Assert.Equal(Enumerable.Range(1, 48).Select(static i => (uint)i), inbox.Folder.Current.Messages.Select(static m => m.Uid));
        foreach (MessageRecord record in inbox.Folder.Current.Messages)
        {
            Assert.Equal(RecordingIndexer.Envelope(StoreOperations.Read(inbox.Folder, record.Uid)), inbox.Folder.GetCached(record.Uid, CachedField.Envelope));
        }

        Assert.Equal(0, indexer.HeaderCalls + indexer.FullCalls);
    }

    [Fact]
    public async Task ASessionHoldingTheInboxSeesADeliveredMessageWithItsEntry()
    {
        using MaildirStore store = NewStore(new RecordingIndexer());
        await StoreOperations.DeliverAsync(store, User, Message("first"));
        using FolderLease inbox = store.OpenFolder(User, "INBOX")!;
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inbox.Folder.Changed += () => changed.TrySetResult();

        await StoreOperations.DeliverAsync(store, User, Message("second"));
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal([1u, 2u], inbox.Folder.Current.Messages.Select(static m => m.Uid));
        Assert.Equal(RecordingIndexer.Envelope(Message("second")), inbox.Folder.GetCached(2, CachedField.Envelope));
        Assert.Equal(Message("second"), StoreOperations.Read(inbox.Folder, 2));
    }

    [Fact]
    public async Task ADeliveryToAnInboxBusyIndexingIsNotHeldBackAndTheNextRefreshNumbersIt()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Maildir, "new"));
        System.IO.Directory.CreateDirectory(Path.Combine(Maildir, "cur"));
        System.IO.Directory.CreateDirectory(Path.Combine(Maildir, "tmp"));
        await File.WriteAllBytesAsync(Path.Combine(Maildir, "new", "1700000000.M1P1.other"), Message("dropped"), TestContext.Current.CancellationToken);
        using var indexer = new BlockingIndexer();
        using MaildirStore store = NewStore(indexer, TimeSpan.FromMilliseconds(20));

        // The first EXAMINE holds the folder while it parses the dropped file's header.
        Task<FolderLease?> examining = Task.Run(() => store.ExamineFolder(User, "INBOX"), TestContext.Current.CancellationToken);
        await indexer.Entered.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await StoreOperations.DeliverAsync(store, User, Message("delivered")).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(examining.IsCompleted);

        indexer.Release();
        using FolderLease inbox = (await examining)!;
        FolderView view = inbox.Folder.RefreshReadOnly();

        Assert.Equal([1u, 2u], view.Messages.Select(static m => m.Uid));
        Assert.Equal(RecordingIndexer.Envelope(Message("delivered")), inbox.Folder.GetCached(2, CachedField.Envelope));
        Assert.Equal(1, indexer.HeaderCalls);
    }

    [Fact]
    public async Task AZeroDeliveryIndexWaitLeavesTheNumberingToTheNextReader()
    {
        using (MaildirStore store = NewStore(new RecordingIndexer(), TimeSpan.Zero))
        {
            await StoreOperations.DeliverAsync(store, User, Message("left"));
        }

        Assert.False(File.Exists(Path.Combine(Maildir, UidList.FileName)));
        var indexer = new RecordingIndexer();
        using MaildirStore reader = NewStore(indexer);
        using FolderLease inbox = reader.ExamineFolder(User, "INBOX")!;
        Assert.Equal([1u], inbox.Folder.Current.Messages.Select(static m => m.Uid));
        Assert.Equal(RecordingIndexer.Envelope(Message("left")), inbox.Folder.GetCached(1, CachedField.Envelope));
        Assert.Equal(0, indexer.HeaderCalls + indexer.FullCalls);
    }

    [Fact]
    public async Task UidListLinesAPowerCutTookAreNumberedAfreshAndTheirUidsAreNeverGivenAgain()
    {
        long shownLength;
        using (MaildirStore store = NewStore(new RecordingIndexer()))
        {
            await StoreOperations.DeliverAsync(store, User, Message("one"));
            using (FolderLease shown = store.ExamineFolder(User, "INBOX")!)
            {
                Assert.Equal([1u], shown.Folder.Current.Messages.Select(static m => m.Uid));
            }

            shownLength = new FileInfo(Path.Combine(Maildir, UidList.FileName)).Length;

            // Delivered while nobody has the folder loaded: their lines are appended without an fsync.
            await StoreOperations.DeliverAsync(store, User, Message("two"));
            await StoreOperations.DeliverAsync(store, User, Message("three"));
        }

        // What the disk may hold after a power cut: the files (fsynced) and the index rows of UIDs 2 and 3 (SQLite
        // wrote them back), but not the uidlist's unsynced lines.
        using (var uidlist = new FileStream(Path.Combine(Maildir, UidList.FileName), FileMode.Open, FileAccess.Write))
        {
            uidlist.SetLength(shownLength);
        }

        using (MaildirStore reader = NewStore(new RecordingIndexer()))
        using (FolderLease inbox = reader.ExamineFolder(User, "INBOX")!)
        {
            MessageRecord[] messages = [.. inbox.Folder.Current.Messages];
            Assert.Equal(3, messages.Length);
            Assert.Equal(1u, messages[0].Uid);
            Assert.All(messages[1..], m => Assert.True(m.Uid > 3, $"UID {m.Uid} was recorded for another delivery before"));
            Assert.Equal(["one", "two", "three"], messages.Select(m => Encoding.ASCII.GetString(StoreOperations.Read(inbox.Folder, m.Uid))[9..^10]));
            Assert.All(messages, m => Assert.Equal(RecordingIndexer.Envelope(StoreOperations.Read(inbox.Folder, m.Uid)), inbox.Folder.GetCached(m.Uid, CachedField.Envelope)));
        }

        // The raised next UID is durable: the next process gives a new message a UID above all of them.
        using MaildirStore again = NewStore(new RecordingIndexer());
        await StoreOperations.DeliverAsync(again, User, Message("four"));
        using FolderLease after = again.ExamineFolder(User, "INBOX")!;
        uint[] uids = [.. after.Folder.Current.Messages.Select(static m => m.Uid)];
        Assert.Equal(4, uids.Length);
        Assert.True(uids[3] > uids[2]);
    }

    private static byte[] Message(string subject) => Encoding.ASCII.GetBytes($"Subject: {subject}\r\n\r\nbody\r\n");

    private MaildirStore NewStore(IMessageIndexer indexer, TimeSpan? deliveryIndexWait = null) =>
        new(
            Options.Create(new StoreOptions { MailRoot = _root.FullName, DeliveryIndexWait = deliveryIndexWait ?? new StoreOptions().DeliveryIndexWait }),
            TimeProvider.System,
            NullLogger<MaildirStore>.Instance,
            indexer);

    /// <summary>An indexer whose header parses wait until released, to hold a reader inside the folder's lock.</summary>
    private sealed class BlockingIndexer : IMessageIndexer, IDisposable
    {
        private readonly RecordingIndexer _inner = new();
        private readonly ManualResetEventSlim _released = new();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public int HeaderCalls => _inner.HeaderCalls;

        public void Release() => _released.Set();

        public void Dispose() => _released.Dispose();

        public byte[]?[]? Describe(Stream content) => _inner.Describe(content);

        public byte[]?[]? DescribeHeader(Stream content)
        {
            _entered.TrySetResult();
            _released.Wait(TimeSpan.FromSeconds(60));
            return _inner.DescribeHeader(content);
        }
    }
}
