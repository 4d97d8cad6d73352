using System.Text;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Mailroom.Store.Tests.Contract;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Tests;

/// <summary>
/// The Maildir store's index entries as the files and restarts show them: kept in mailroom-index.db across restarts,
/// delivered entries waiting by base name for their UID, and files put in by another program indexed from their
/// header on the first access of a reader (not of POP3, which never asks for them).
/// </summary>
public sealed class MaildirIndexingTests : IDisposable
{
    private const string User = "carol@example.org";
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-indexing-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task AnEntryWrittenAtDeliveryIsReadAfterARestartWithoutReadingTheMessage()
    {
        byte[] message = Encoding.ASCII.GetBytes("Subject: restart\r\n\r\nbody\r\n");
        using (MaildirStore first = NewStore(new RecordingIndexer()))
        {
            await StoreOperations.DeliverAsync(first, User, message);
        }

        var second = new RecordingIndexer();
        using (MaildirStore store = NewStore(second))
        using (FolderLease inbox = store.OpenFolder(User, "INBOX")!)
        {
            MessageRecord record = Assert.Single(inbox.Folder.Current.Messages);
            Assert.Equal(RecordingIndexer.Envelope(message), inbox.Folder.GetCached(record.Uid, CachedField.Envelope));
        }

        var third = new RecordingIndexer();
        using (MaildirStore store = NewStore(third))
        using (FolderLease inbox = store.OpenFolder(User, "INBOX")!)
        {
            MessageRecord record = Assert.Single(inbox.Folder.Current.Messages);
            Assert.NotNull(inbox.Folder.GetCached(record.Uid, CachedField.BodyStructure));
        }

        Assert.Equal(0, second.FullCalls + second.HeaderCalls + third.FullCalls + third.HeaderCalls);
    }

    [Fact]
    public async Task FilesPutInByAnotherProgramAreIndexedFromTheirHeaderOnFirstAccess()
    {
        using MaildirStore store = NewStore(new RecordingIndexer());
        await StoreOperations.DeliverAsync(store, User, Encoding.ASCII.GetBytes("Subject: made the Maildir\r\n\r\n"));
        string maildir = store.GetMaildirPath(User);
        var dropped = new List<byte[]>();
        for (int i = 0; i < 40; i++)
        {
            byte[] message = Encoding.ASCII.GetBytes($"Subject: dropped {i}\r\n\r\nbody {i}\r\n");
            dropped.Add(message);
            string sub = i % 2 == 0 ? "new" : "cur";
            string name = $"1700000000.M{i}P1.otherhost" + (sub == "cur" ? ":2,S" : "");
            await File.WriteAllBytesAsync(Path.Combine(maildir, sub, name), message, TestContext.Current.CancellationToken);
        }

        var indexer = new RecordingIndexer();
        using MaildirStore reader = NewStore(indexer);
        using FolderLease inbox = reader.OpenFolder(User, "INBOX")!;

        Assert.Equal(41, inbox.Folder.Current.Messages.Count);
        Assert.Equal(40, indexer.HeaderCalls);
        Assert.Equal(0, indexer.FullCalls);
        foreach (MessageRecord record in inbox.Folder.Current.Messages)
        {
            byte[] content = StoreOperations.Read(inbox.Folder, record.Uid);
            Assert.Equal(RecordingIndexer.Envelope(content), inbox.Folder.GetCached(record.Uid, CachedField.Envelope));
            Assert.NotNull(inbox.Folder.GetCached(record.Uid, CachedField.SortKeys));
        }
    }

    [Fact]
    public async Task AFileThatArrivesWhileTheFolderIsOpenIsIndexedByTheRefreshThatFindsIt()
    {
        var indexer = new RecordingIndexer();
        using MaildirStore store = NewStore(indexer);
        using FolderLease archive = store.OpenFolder(User, "Archive")!;
        byte[] message = Encoding.ASCII.GetBytes("Subject: later\r\n\r\n");
        await File.WriteAllBytesAsync(Path.Combine(FolderNames.GetPath(store.GetMaildirPath(User), "Archive"), "new", "1700000001.M1P1.other"), message,
            TestContext.Current.CancellationToken);

        MessageRecord record = Assert.Single(archive.Folder.Refresh().Messages);

        Assert.Equal(RecordingIndexer.Envelope(message), archive.Folder.GetCached(record.Uid, CachedField.Envelope));
        Assert.Equal(1, indexer.HeaderCalls);
    }

    [Fact]
    public async Task APop3SessionsFirstAccessReadsNoMessageToIndexIt()
    {
        using (MaildirStore store = NewStore(new RecordingIndexer()))
        {
            await StoreOperations.DeliverAsync(store, User, Encoding.ASCII.GetBytes("Subject: made the Maildir\r\n\r\n"));
        }

        string maildir = Path.Combine(_root.FullName, "example.org", "carol");
        await File.WriteAllBytesAsync(Path.Combine(maildir, "new", "1700000002.M1P1.other"), Encoding.ASCII.GetBytes("Subject: x\r\n\r\n"),
            TestContext.Current.CancellationToken);
        var indexer = new RecordingIndexer();
        using MaildirStore pop3 = NewStore(indexer);
        using FolderLease inbox = pop3.OpenFolder(User, "INBOX", keepNew: true)!;

        Assert.Equal(2, inbox.Folder.Current.Messages.Count);
        Assert.Equal(0, indexer.HeaderCalls + indexer.FullCalls);
        Assert.Equal(1, inbox.Folder.Current.Messages.Count(m => inbox.Folder.GetCached(m.Uid, CachedField.Envelope) is not null));
    }

    [Fact]
    public async Task ExaminingNumbersAndIndexesDeliveredAndDroppedMailButRenamesNoFileUntilASelect()
    {
        using (MaildirStore store = NewStore(new RecordingIndexer()))
        {
            await StoreOperations.DeliverAsync(store, User, Encoding.ASCII.GetBytes("Subject: delivered\r\n\r\nbody\r\n"));
        }

        string maildir = Path.Combine(_root.FullName, "example.org", "carol");
        await File.WriteAllBytesAsync(Path.Combine(maildir, "new", "1700000003.M1P1.other"), Encoding.ASCII.GetBytes("Subject: dropped\r\n\r\n"),
            TestContext.Current.CancellationToken);
        string[] newFiles = [.. System.IO.Directory.GetFiles(Path.Combine(maildir, "new")).Order(StringComparer.Ordinal)];
        var indexer = new RecordingIndexer();
        using MaildirStore reader = NewStore(indexer);
        using (FolderLease examined = reader.ExamineFolder(User, "INBOX")!)
        {
            Assert.Equal([1u, 2u], examined.Folder.Current.Messages.Select(static m => m.Uid));
            examined.Folder.RefreshReadOnly();
            Assert.Equal(newFiles, System.IO.Directory.GetFiles(Path.Combine(maildir, "new")).Order(StringComparer.Ordinal));
            Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(maildir, "cur")));
            Assert.Equal(1, indexer.HeaderCalls);
            foreach (MessageRecord record in examined.Folder.Current.Messages)
            {
                byte[] content = StoreOperations.Read(examined.Folder, record.Uid);
                Assert.Equal(RecordingIndexer.Envelope(content), examined.Folder.GetCached(record.Uid, CachedField.Envelope));
            }
        }

        using (FolderLease selected = reader.OpenFolder(User, "INBOX")!)
        {
            Assert.Equal([1u, 2u], selected.Folder.Current.Messages.Select(static m => m.Uid));
        }

        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(maildir, "new")));
        Assert.Equal(2, System.IO.Directory.GetFiles(Path.Combine(maildir, "cur")).Length);
        Assert.Equal(1, indexer.HeaderCalls);
    }

    [Fact]
    public async Task MailExaminedBeforeARestartKeepsItsUidsAndEntriesAfterIt()
    {
        using (MaildirStore store = NewStore(new RecordingIndexer()))
        {
            await StoreOperations.DeliverAsync(store, User, Encoding.ASCII.GetBytes("Subject: one\r\n\r\n"));
            await StoreOperations.DeliverAsync(store, User, Encoding.ASCII.GetBytes("Subject: two\r\n\r\n"));
            using FolderLease examined = store.ExamineFolder(User, "INBOX")!;
            Assert.Equal([1u, 2u], examined.Folder.Current.Messages.Select(static m => m.Uid));
        }

        var indexer = new RecordingIndexer();
        using MaildirStore again = NewStore(indexer);
        using FolderLease inbox = again.ExamineFolder(User, "INBOX")!;

        Assert.Equal([1u, 2u], inbox.Folder.Current.Messages.Select(static m => m.Uid));
        Assert.All(inbox.Folder.Current.Messages, m => Assert.NotNull(inbox.Folder.GetCached(m.Uid, CachedField.Envelope)));
        Assert.Equal(0, indexer.HeaderCalls + indexer.FullCalls);
        Assert.Equal(2, System.IO.Directory.GetFiles(Path.Combine(again.GetMaildirPath(User), "new")).Length);
    }

    private MaildirStore NewStore(IMessageIndexer indexer) =>
        new(Options.Create(new StoreOptions { MailRoot = _root.FullName }), TimeProvider.System, NullLogger<MaildirStore>.Instance, indexer);
}
