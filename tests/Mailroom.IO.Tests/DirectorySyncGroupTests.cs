namespace Mailroom.IO.Tests;

public sealed class DirectorySyncGroupTests
{
    [Fact]
    public async Task CallersArrivingDuringAFlushShareTheNextOne()
    {
        using var firstFlushMayEnd = new ManualResetEventSlim(false);
        using var firstFlushStarted = new ManualResetEventSlim(false);
        int flushes = 0;
        var group = new DirectorySyncGroup(_ =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstFlushStarted.Set();
                firstFlushMayEnd.Wait(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            }
        });

        // The first caller flushes on its own thread: started from another one so that this test can hold the flush.
        Task first = Task.Run(() => group.SyncAsync("/d"), TestContext.Current.CancellationToken);
        Assert.True(firstFlushStarted.Wait(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        var late = new Task[20];
        for (int i = 0; i < late.Length; i++)
        {
            late[i] = group.SyncAsync("/d");
        }

        // Registered after the running flush started: that flush does not cover their renames.
        Assert.All(late, t => Assert.False(t.IsCompleted));
        firstFlushMayEnd.Set();
        await first;
        await Task.WhenAll(late).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(2, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task ACallerFindingNoFlushRunningFlushesOnItsOwnThreadAndGetsACompletedTask()
    {
        int flushThread = 0;
        var group = new DirectorySyncGroup(_ => flushThread = Environment.CurrentManagedThreadId);

        Task sync = group.SyncAsync("/d");

        Assert.True(sync.IsCompletedSuccessfully);
        Assert.Equal(Environment.CurrentManagedThreadId, flushThread);
        await sync;
    }

    [Fact]
    public async Task TheCallerThatFlushedIsReleasedWithoutWaitingForTheRoundOfThoseWhoCameDuringItsFlush()
    {
        using var secondFlushStarted = new ManualResetEventSlim(false);
        using var secondFlushMayEnd = new ManualResetEventSlim(false);
        Task? late = null;
        int flushes = 0;
        DirectorySyncGroup? group = null;
        group = new DirectorySyncGroup(_ =>
        {
            switch (Interlocked.Increment(ref flushes))
            {
                case 1:
                    // Another caller arrives while the first caller's own flush runs (a flush is running: it only registers).
                    late = group!.SyncAsync("/d");
                    break;
                case 2:
                    secondFlushStarted.Set();
                    secondFlushMayEnd.Wait(TimeSpan.FromSeconds(30));
                    break;
            }
        });

        Task first = group.SyncAsync("/d");

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(secondFlushStarted.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.False(late!.IsCompleted);
        secondFlushMayEnd.Set();
        await late.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(2, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task ManyConcurrentCallersNeedFewerFlushesThanCallers()
    {
        int flushes = 0;
        var group = new DirectorySyncGroup(_ =>
        {
            Interlocked.Increment(ref flushes);
            Thread.Sleep(2);
        });

        // From four threads at once: a caller that finds no flush running flushes on its own thread, so calls made one
        // after the other from a single thread would each find the previous flush over.
        var calls = new Task[200];
        var threads = new Thread[4];
        for (int t = 0; t < threads.Length; t++)
        {
            int first = t * (calls.Length / threads.Length);
            threads[t] = new Thread(() =>
            {
                for (int i = first; i < first + (calls.Length / threads.Length); i++)
                {
                    calls[i] = group.SyncAsync("/d");
                }
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        }

        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.InRange(Volatile.Read(ref flushes), 1, calls.Length - 1);
    }

    [Fact]
    public async Task AFailedFlushFailsItsWaitersAndTheNextRoundRunsAgain()
    {
        int flushes = 0;
        var group = new DirectorySyncGroup(_ =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                throw new IOException("disk gone");
            }
        });

        await Assert.ThrowsAsync<IOException>(() => group.SyncAsync("/d"));
        await group.SyncAsync("/d").WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(2, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task DifferentDirectoriesAreFlushedSeparately()
    {
        var flushed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var group = new DirectorySyncGroup(flushed.Add);

        await Task.WhenAll(group.SyncAsync("/a"), group.SyncAsync("/b"));

        Assert.Equal(["/a", "/b"], flushed.Order(StringComparer.Ordinal));
    }
}
