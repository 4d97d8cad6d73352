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

        Task first = group.SyncAsync("/d");
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
    public async Task ManyConcurrentCallersNeedFewerFlushesThanCallers()
    {
        int flushes = 0;
        var group = new DirectorySyncGroup(_ =>
        {
            Interlocked.Increment(ref flushes);
            Thread.Sleep(2);
        });

        var calls = new Task[200];
        for (int i = 0; i < calls.Length; i++)
        {
            calls[i] = group.SyncAsync("/d");
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
