using System.Text;
using Mailroom.IO;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Tests;

/// <summary>
/// Store:SyncMode: with FileSystem the deliveries under way share one syncfs and none returns before its flush ended;
/// a failed flush fails every delivery that shared it and leaves none of their files; with Files each delivery fsyncs
/// its own file and directory. Flushes are counted through the store's seam, never timed.
/// </summary>
public sealed class DeliverySyncTests : IDisposable
{
    private const string User = "dana@example.org";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-sync-");

    public void Dispose() => _root.Delete(recursive: true);

    private string NewDirectory => Path.Combine(_root.FullName, "example.org", "dana", "new");

    [Fact]
    public async Task ADeliveryReturnsOnlyAfterTheSharedFlushOfItsBatchEnded()
    {
        SkipUnlessSyncfs();
        using var flushMayEnd = new ManualResetEventSlim(false);
        using var flushStarted = new ManualResetEventSlim(false);
        int flushes = 0;
        using MaildirStore store = NewStore(StoreSyncMode.FileSystem);
        store.CreateFileSystemSync = _ => new FileSystemSyncGroup(() =>
        {
            Interlocked.Increment(ref flushes);
            flushStarted.Set();
            flushMayEnd.Wait(Patience, TestContext.Current.CancellationToken);
        });

        Task delivery = Task.Run(() => StoreOperations.DeliverAsync(store, User, Message("one")), TestContext.Current.CancellationToken);
        Assert.True(flushStarted.Wait(Patience, TestContext.Current.CancellationToken));

        // Renamed into new/ already, but not acknowledged while its flush runs.
        Assert.Single(System.IO.Directory.GetFiles(NewDirectory));
        Assert.False(delivery.IsCompleted);
        flushMayEnd.Set();
        await delivery.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Equal(1, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task ConcurrentDeliveriesShareAFlush()
    {
        SkipUnlessSyncfs();
        const int Deliveries = 20;
        using var firstFlushMayEnd = new ManualResetEventSlim(false);
        int flushes = 0;
        using MaildirStore store = NewStore(StoreSyncMode.FileSystem);
        store.CreateFileSystemSync = _ => new FileSystemSyncGroup(() =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstFlushMayEnd.Wait(Patience, TestContext.Current.CancellationToken);
            }
        });

        Task first = Task.Run(() => StoreOperations.DeliverAsync(store, User, Message("first")), TestContext.Current.CancellationToken);
        await WaitForFilesAsync(1);
        var rest = new Task[Deliveries - 1];
        for (int i = 0; i < rest.Length; i++)
        {
            string subject = "m" + i;
            rest[i] = Task.Run(() => StoreOperations.DeliverAsync(store, User, Message(subject)), TestContext.Current.CancellationToken);
        }

        // Every other delivery has renamed its file while the first flush still runs: they wait for the next one together.
        await WaitForFilesAsync(Deliveries);
        firstFlushMayEnd.Set();
        await Task.WhenAll([first, .. rest]).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.InRange(Volatile.Read(ref flushes), 1, Deliveries - 1);
        Assert.Equal(Deliveries, System.IO.Directory.GetFiles(NewDirectory).Length);
    }

    [Fact]
    public async Task AFailedFlushFailsEveryDeliveryOfItsBatchAndLeavesNoneOfTheirFiles()
    {
        SkipUnlessSyncfs();
        const int Deliveries = 8;
        using var firstFlushMayEnd = new ManualResetEventSlim(false);
        int flushes = 0;
        using MaildirStore store = NewStore(StoreSyncMode.FileSystem);
        store.CreateFileSystemSync = _ => new FileSystemSyncGroup(() =>
        {
            Interlocked.Increment(ref flushes);
            firstFlushMayEnd.Wait(Patience, TestContext.Current.CancellationToken);
            throw new IOException("syncfs: EIO");
        });

        var deliveries = new Task[Deliveries];
        for (int i = 0; i < deliveries.Length; i++)
        {
            string subject = "m" + i;
            deliveries[i] = Task.Run(() => StoreOperations.DeliverAsync(store, User, Message(subject)), TestContext.Current.CancellationToken);
        }

        await WaitForFilesAsync(Deliveries);
        firstFlushMayEnd.Set();
        foreach (Task delivery in deliveries)
        {
            await Assert.ThrowsAsync<IOException>(() => delivery.WaitAsync(Patience, TestContext.Current.CancellationToken));
        }

        Assert.Empty(System.IO.Directory.GetFiles(NewDirectory));
        Assert.InRange(Volatile.Read(ref flushes), 1, Deliveries);
    }

    [Theory]
    [InlineData(StoreSyncMode.FileSystem)]
    [InlineData(StoreSyncMode.Files)]
    public async Task EitherSyncModeDeliversAndAppendsMailThatReadsBack(StoreSyncMode mode)
    {
        if (mode == StoreSyncMode.FileSystem)
        {
            SkipUnlessSyncfs();
        }

        using (MaildirStore store = NewStore(mode))
        {
            await StoreOperations.DeliverAsync(store, User, Message("delivered"));
            using FolderLease inbox = store.OpenFolder(User, "INBOX")!;
            await StoreOperations.AppendAsync(inbox.Folder, Message("appended"), MessageFlags.Seen);
        }

        using MaildirStore reader = NewStore(mode);
        using FolderLease read = reader.OpenFolder(User, "INBOX")!;
        Assert.Equal(
            ["delivered", "appended"],
            read.Folder.Current.Messages.Select(m => Encoding.ASCII.GetString(StoreOperations.Read(read.Folder, m.Uid)).Split("\r\n")[0]["Subject: ".Length..]));
    }

    [Fact]
    public async Task TheFilesModeUsesNoSharedFlush()
    {
        int groups = 0;
        using MaildirStore store = NewStore(StoreSyncMode.Files);
        store.CreateFileSystemSync = _ =>
        {
            Interlocked.Increment(ref groups);
            return new FileSystemSyncGroup(static () => { });
        };

        await StoreOperations.DeliverAsync(store, User, Message("one"));

        Assert.Equal(0, groups);
        Assert.Single(System.IO.Directory.GetFiles(NewDirectory));
    }

    [Theory]
    [InlineData(StoreSyncMode.FileSystem)]
    [InlineData(StoreSyncMode.Files)]
    public void TheSyncModeSettingAcceptsBothModesAndRefusesAnyOtherValue(StoreSyncMode mode)
    {
        var validator = new StoreOptionsValidator();

        Assert.True(validator.Validate(null, new StoreOptions { SyncMode = mode }).Succeeded);
        Assert.True(validator.Validate(null, new StoreOptions { SyncMode = (StoreSyncMode)7 }).Failed);
        Assert.Equal(StoreSyncMode.Files, new StoreOptions().SyncMode);
    }

    private static void SkipUnlessSyncfs() =>
        Assert.SkipUnless(FileSystemSyncGroup.IsSupported, "syncfs reports write errors only on Linux 5.8 or later");

    private static byte[] Message(string subject) => Encoding.ASCII.GetBytes($"Subject: {subject}\r\n\r\nbody\r\n");

    /// <summary>Waits (bounded) until new/ holds <paramref name="count"/> files: those deliveries have renamed.</summary>
    private async Task WaitForFilesAsync(int count)
    {
        for (int i = 0; i < 1000; i++)
        {
            if (System.IO.Directory.Exists(NewDirectory) && System.IO.Directory.GetFiles(NewDirectory).Length >= count)
            {
                return;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{count} deliveries did not reach new/ in time");
    }

    private MaildirStore NewStore(StoreSyncMode mode) =>
        new(
            Options.Create(new StoreOptions { MailRoot = _root.FullName, SyncMode = mode }),
            TimeProvider.System,
            NullLogger<MaildirStore>.Instance);
}
