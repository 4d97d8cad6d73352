using System.Text;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Mailroom.Store.Tests.Contract;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Tests;

/// <summary>
/// A Maildir copied in by another program (a migration: the admin rsyncs an old Maildir in) is numbered and indexed at
/// the first access, its files read on several cores at once: the UIDs follow the delivery order of the names whatever
/// order the files are read in, each record is what its file says (size, date, flags), the rows the index keeps are
/// the records shown, and a file that cannot be described is a message all the same without stopping the others.
/// </summary>
public sealed class CopiedMaildirTests : IDisposable
{
    private const string User = "dave@example.org";
    private const int Count = 300;
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-copied-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task CopiedFilesGetUidsInDeliveryOrderAndRecordsFromTheirNamesAndTimes()
    {
        string maildir = await MakeMaildirAsync();
        List<CopiedFile> files = await CopyInAsync(maildir, Count);

        var indexer = new RecordingIndexer();
        IReadOnlyList<MessageRecord> first;
        using (MaildirStore store = NewStore(indexer))
        using (FolderLease inbox = store.ExamineFolder(User, "INBOX")!)
        {
            first = inbox.Folder.Current.Messages;
            Assert.Equal(Count + 1, first.Count);
            for (int i = 0; i < Count; i++)
            {
                // UID 1 is the delivery that made the Maildir; the copied files follow in the order of their names.
                MessageRecord record = first[i + 1];
                CopiedFile file = files[i];
                Assert.Equal((uint)(i + 2), record.Uid);
                Assert.Equal(file.BaseName, record.BaseName);
                Assert.Equal(file.Content.Length, record.Size);
                Assert.Equal(file.Time, record.InternalDate.UtcDateTime);
                Assert.Equal(file.Seen ? MessageFlags.Seen : MessageFlags.None, record.Flags);
                Assert.Equal(RecordingIndexer.Envelope(file.Content), inbox.Folder.GetCached(record.Uid, CachedField.Envelope));
                Assert.NotNull(inbox.Folder.GetCached(record.Uid, CachedField.SortKeys));
            }
        }

        Assert.Equal(Count, indexer.HeaderCalls);
        Assert.Equal(0, indexer.FullCalls);

        // The next process reads the same records and entries from the index alone.
        var again = new RecordingIndexer();
        using (MaildirStore store = NewStore(again))
        using (FolderLease inbox = store.ExamineFolder(User, "INBOX")!)
        {
            Assert.Equal(first.Select(Row), inbox.Folder.Current.Messages.Select(Row));
            for (int i = 0; i < Count; i++)
            {
                Assert.Equal(RecordingIndexer.Envelope(files[i].Content), inbox.Folder.GetCached((uint)(i + 2), CachedField.Envelope));
            }
        }

        Assert.Equal(0, again.HeaderCalls + again.FullCalls);
    }

    [Fact]
    public async Task TheEntriesOfCopiedFilesReachTheIndexFileWhileTheFolderStaysOpen()
    {
        string maildir = await MakeMaildirAsync();
        await CopyInAsync(maildir, 50);

        using MaildirStore store = NewStore(new RecordingIndexer());
        using FolderLease inbox = store.ExamineFolder(User, "INBOX")!;

        // Written by a pool thread after the load returned: another connection sees them without any further call.
        long rows = 0;
        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(maildir, IndexDatabase.FileName), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        for (int attempt = 0; attempt < 200 && rows < 100; attempt++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            using var reader = new SqliteConnection(connection.ToString());
            reader.Open();
            using SqliteCommand count = reader.CreateCommand();
            count.CommandText = "SELECT count(*) FROM cached WHERE uid > 1";
            rows = (long)count.ExecuteScalar()!;
        }

        // Envelope and sort keys of each of the 50 copied files.
        Assert.Equal(100, rows);
    }

    [Fact]
    public async Task AFileTheIndexerCannotDescribeIsAMessageWithoutEntriesAndTheOthersAreIndexed()
    {
        string maildir = await MakeMaildirAsync();
        List<CopiedFile> files = await CopyInAsync(maildir, 40, poisoned: 17);

        var indexer = new PoisonedIndexer();
        using MaildirStore store = NewStore(indexer);
        using FolderLease inbox = store.ExamineFolder(User, "INBOX")!;

        Assert.Equal(41, inbox.Folder.Current.Messages.Count);
        for (int i = 0; i < files.Count; i++)
        {
            byte[]? envelope = inbox.Folder.GetCached((uint)(i + 2), CachedField.Envelope);
            Assert.Equal(i == 17 ? null : RecordingIndexer.Envelope(files[i].Content), envelope);
        }

        Assert.Equal(40, indexer.Calls);
    }

    [Fact]
    public async Task AFileRemovedBeforeTheFirstAccessReadsItIsLeftOutAndTakesNoUid()
    {
        string maildir = await MakeMaildirAsync();
        List<CopiedFile> files = await CopyInAsync(maildir, 10);
        File.Delete(Path.Combine(maildir, files[4].File));

        using MaildirStore store = NewStore(new RecordingIndexer());
        using FolderLease inbox = store.ExamineFolder(User, "INBOX")!;

        Assert.Equal(10, inbox.Folder.Current.Messages.Count);
        Assert.DoesNotContain(inbox.Folder.Current.Messages, m => m.BaseName == files[4].BaseName);
        Assert.Equal(Enumerable.Range(1, 10).Select(static u => (uint)u), inbox.Folder.Current.Messages.Select(static m => m.Uid));
    }

    [Fact]
    public async Task AFifoAmongTheCopiedFilesNeitherHangsTheFirstAccessNorItsReadsAndTheOthersAreRead()
    {
        string maildir = await MakeMaildirAsync();
        List<CopiedFile> files = await CopyInAsync(maildir, 4);
        string fifo = Path.Combine(maildir, "new", "1600000002.M99P42.oldhost");
        Fifo.Make(fifo);

        using MaildirStore store = NewStore(new RecordingIndexer());

        // A plain open(2) of a FIFO waits for a writer: bounded here (TimeoutException) so that a regression fails
        // instead of hanging.
        CancellationToken ct = TestContext.Current.CancellationToken;
        using FolderLease inbox = (await Task.Run(() => store.ExamineFolder(User, "INBOX"), ct).WaitAsync(TimeSpan.FromSeconds(30), ct))!;

        MessageRecord[] messages = [.. inbox.Folder.Current.Messages];
        MessageRecord odd = Assert.Single(messages, m => m.BaseName == "1600000002.M99P42.oldhost");
        await Assert.ThrowsAsync<IOException>(() => Task.Run(() => inbox.Folder.OpenContent(odd.Uid), ct).WaitAsync(TimeSpan.FromSeconds(30), ct));

        foreach (CopiedFile file in files)
        {
            MessageRecord record = Assert.Single(messages, m => m.BaseName == file.BaseName);
            await using Stream content = inbox.Folder.OpenContent(record.Uid);
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, TestContext.Current.CancellationToken);
            Assert.Equal(file.Content, copy.ToArray());
        }
    }

    /// <summary>Delivers one message so the user's Maildir and index exist, as they do for a user who had mail before.</summary>
    private async Task<string> MakeMaildirAsync()
    {
        using MaildirStore store = NewStore(new RecordingIndexer());
        await StoreOperations.DeliverAsync(store, User, Encoding.ASCII.GetBytes("Subject: made the Maildir\r\n\r\n"));
        return store.GetMaildirPath(User);
    }

    /// <summary>
    /// Writes <paramref name="count"/> files as another program would, in an order unlike their delivery order (the
    /// names' times), half in new/ and half in cur/ (seen), some without the S= size; returned in delivery order.
    /// </summary>
    private static async Task<List<CopiedFile>> CopyInAsync(string maildir, int count, int poisoned = -1)
    {
        var files = new List<CopiedFile>(count);
        for (int i = 0; i < count; i++)
        {
            string subject = i == poisoned ? "poison" : $"copied {i}";
            byte[] content = Encoding.ASCII.GetBytes($"Subject: {subject}\r\nMessage-ID: <{i}@old.example>\r\n\r\nbody {i}\r\n");
            string baseName = $"{1600000000 + i}.M{i}P42.oldhost" + (i % 3 == 0 ? "" : $",S={content.Length}");
            bool seen = i % 2 == 1;
            string file = seen ? $"cur/{baseName}:2,S" : $"new/{baseName}";
            files.Add(new CopiedFile(baseName, file, content, seen, DateTime.UnixEpoch.AddSeconds(1500000000 + (7L * i))));
        }

        foreach (CopiedFile copied in files.OrderBy(static f => f.BaseName.GetHashCode(StringComparison.Ordinal)))
        {
            string path = Path.Combine(maildir, copied.File);
            await File.WriteAllBytesAsync(path, copied.Content, TestContext.Current.CancellationToken);
            File.SetLastWriteTimeUtc(path, copied.Time);
        }

        return files;
    }

    private static (uint, string, long, DateTimeOffset, MessageFlags, ulong, long, int) Row(MessageRecord m) =>
        (m.Uid, m.BaseName, m.Size, m.InternalDate, m.Flags, m.ModSeq, m.WireSize, m.Keywords.Count);

    private MaildirStore NewStore(IMessageIndexer indexer) =>
        new(Options.Create(new StoreOptions { MailRoot = _root.FullName }), TimeProvider.System, NullLogger<MaildirStore>.Instance, indexer);

    private sealed record CopiedFile(string BaseName, string File, byte[] Content, bool Seen, DateTime Time);

    /// <summary>A <see cref="RecordingIndexer"/> that fails on the message whose subject is "poison".</summary>
    private sealed class PoisonedIndexer : IMessageIndexer
    {
        private readonly RecordingIndexer _inner = new();
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public byte[]?[]? Describe(Stream content) => _inner.Describe(content);

        public byte[]?[]? DescribeHeader(Stream content)
        {
            Interlocked.Increment(ref _calls);
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            if (copy.ToArray().AsSpan().IndexOf("Subject: poison"u8) >= 0)
            {
                throw new InvalidOperationException("cannot describe this one (test)");
            }

            copy.Position = 0;
            return _inner.DescribeHeader(copy);
        }
    }
}
