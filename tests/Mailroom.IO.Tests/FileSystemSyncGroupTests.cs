namespace Mailroom.IO.Tests;

public sealed class FileSystemSyncGroupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AWriterIsReleasedOnlyAfterTheFlushOfItsBatchEnds()
    {
        using var flushMayEnd = new ManualResetEventSlim(false);
        using var flushStarted = new ManualResetEventSlim(false);
        int flushes = 0;
        using var group = new FileSystemSyncGroup(() =>
        {
            Interlocked.Increment(ref flushes);
            flushStarted.Set();
            flushMayEnd.Wait(Patience, TestContext.Current.CancellationToken);
        });

        // The first writer flushes on its own thread: started from another one so that this test can hold the flush.
        Task sync = Task.Run(() => group.SyncAsync(group.Enlist()), TestContext.Current.CancellationToken);
        Assert.True(flushStarted.Wait(Patience, TestContext.Current.CancellationToken));

        Assert.False(sync.IsCompleted);
        flushMayEnd.Set();
        await sync.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Equal(1, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task WritersArrivingDuringAFlushShareOneNextFlush()
    {
        using var firstFlushMayEnd = new ManualResetEventSlim(false);
        using var firstFlushStarted = new ManualResetEventSlim(false);
        int flushes = 0;
        using var group = new FileSystemSyncGroup(() =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstFlushStarted.Set();
                firstFlushMayEnd.Wait(Patience, TestContext.Current.CancellationToken);
            }
        });

        Task first = Task.Run(() => group.SyncAsync(group.Enlist()), TestContext.Current.CancellationToken);
        Assert.True(firstFlushStarted.Wait(Patience, TestContext.Current.CancellationToken));
        var batch = new Task[50];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = group.SyncAsync(group.Enlist());
        }

        // They registered after the running flush started, so it may not cover their files.
        Assert.All(batch, t => Assert.False(t.IsCompleted));
        firstFlushMayEnd.Set();
        await Task.WhenAll([first, .. batch]).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(2, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task EveryWriterWaitingForAFailedFlushFailsWithIt()
    {
        using var firstFlushMayEnd = new ManualResetEventSlim(false);
        using var firstFlushStarted = new ManualResetEventSlim(false);
        using var secondFlushMayEnd = new ManualResetEventSlim(false);
        using var secondFlushStarted = new ManualResetEventSlim(false);
        int flushes = 0;
        using var group = new FileSystemSyncGroup(() =>
        {
            switch (Interlocked.Increment(ref flushes))
            {
                case 1:
                    firstFlushStarted.Set();
                    firstFlushMayEnd.Wait(Patience, TestContext.Current.CancellationToken);
                    break;
                case 2:
                    secondFlushStarted.Set();
                    secondFlushMayEnd.Wait(Patience, TestContext.Current.CancellationToken);
                    throw new IOException("syncfs: EIO");
            }
        });

        Task first = Task.Run(() => group.SyncAsync(group.Enlist()), TestContext.Current.CancellationToken);
        Assert.True(firstFlushStarted.Wait(Patience, TestContext.Current.CancellationToken));
        var batch = new Task[10];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = group.SyncAsync(group.Enlist());
        }

        firstFlushMayEnd.Set();
        await first.WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.True(secondFlushStarted.Wait(Patience, TestContext.Current.CancellationToken));
        secondFlushMayEnd.Set();

        // The whole second batch shared the failed flush: not one of them is acknowledged.
        foreach (Task waiter in batch)
        {
            await Assert.ThrowsAsync<IOException>(() => waiter.WaitAsync(Patience, TestContext.Current.CancellationToken));
        }

        Assert.Equal(2, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task AWriterEnlistedBeforeAFailedFlushFailsEvenWhenItsOwnFlushSucceeds()
    {
        int flushes = 0;
        using var group = new FileSystemSyncGroup(() =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                throw new IOException("syncfs: EIO");
            }
        });

        // Its files were written before the failure, which may have been theirs (reported to whoever asked first).
        FileSystemSyncTicket early = group.Enlist();
        await Assert.ThrowsAsync<IOException>(() => group.SyncAsync(group.Enlist()));

        await Assert.ThrowsAsync<IOException>(() => group.SyncAsync(early));
        Assert.Equal(2, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task AWriterEnlistedAfterAFailedFlushSucceedsWithTheNextFlush()
    {
        int flushes = 0;
        using var group = new FileSystemSyncGroup(() =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                throw new IOException("syncfs: EIO");
            }
        });
        await Assert.ThrowsAsync<IOException>(() => group.SyncAsync(group.Enlist()));

        await group.SyncAsync(group.Enlist()).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(2, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task TheRealSyncfsFlushesAWrittenFileOnThisFileSystem()
    {
        Assert.SkipUnless(FileSystemSyncGroup.IsSupported, "syncfs reports write errors only on Linux 5.8 or later");
        DirectoryInfo directory = Directory.CreateTempSubdirectory("mailroom-syncfs-");
        try
        {
            using FileSystemSyncGroup group = FileSystemSyncGroup.Open(directory.FullName);
            FileSystemSyncTicket ticket = group.Enlist();
            string tmp = Path.Combine(directory.FullName, "tmp-file");
            await File.WriteAllTextAsync(tmp, "body", TestContext.Current.CancellationToken);
            File.Move(tmp, Path.Combine(directory.FullName, "file"));

            await group.SyncAsync(ticket).WaitAsync(Patience, TestContext.Current.CancellationToken);

            Assert.Equal("body", await File.ReadAllTextAsync(Path.Combine(directory.FullName, "file"), TestContext.Current.CancellationToken));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void APathAndItsSubdirectoryAreOnOneFileSystemAndProcIsOnAnother()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "statx is Linux's");
        DirectoryInfo directory = Directory.CreateTempSubdirectory("mailroom-fsid-");
        try
        {
            DirectoryInfo sub = directory.CreateSubdirectory("new");

            Assert.Equal(DurableFile.GetFileSystemId(directory.FullName), DurableFile.GetFileSystemId(sub.FullName));
            Assert.NotEqual(DurableFile.GetFileSystemId(directory.FullName), DurableFile.GetFileSystemId("/proc"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void OpeningAMissingDirectoryFailsWithAnIOException()
    {
        Assert.SkipUnless(FileSystemSyncGroup.IsSupported, "syncfs reports write errors only on Linux 5.8 or later");

        Assert.Throws<IOException>(() => FileSystemSyncGroup.Open(Path.Combine(Path.GetTempPath(), "mailroom-no-such-" + Guid.NewGuid())));
    }
}
