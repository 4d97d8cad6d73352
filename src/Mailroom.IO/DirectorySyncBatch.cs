namespace Mailroom.IO;

/// <summary>The fsync batching of one directory (see <see cref="DirectorySyncGroup"/>).</summary>
internal sealed class DirectorySyncBatch
{
    private readonly string _directory;
    private readonly Action<string> _flush;
    private readonly Lock _gate = new();

    // Callers registered since the running flush (if any) started: they are released by the next flush.
    private TaskCompletionSource? _waiting;
    private bool _running;

    public DirectorySyncBatch(string directory, Action<string> flush)
    {
        _directory = directory;
        _flush = flush;
    }

    /// <summary>
    /// A caller that finds no flush running runs the first round itself, on its own thread: it has nothing else to do
    /// until the fsync ends, and handing the fsync to a pool thread cost a wake-up and two context switches per round.
    /// Its task is complete when this returns, so its await goes on at once, on the same thread. The callers who
    /// register during that flush are flushed by a pool thread, so this caller's reply does not wait for their round.
    /// </summary>
    public Task RequestAsync()
    {
        bool lead;
        Task task;
        lock (_gate)
        {
            _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _waiting.Task;
            lead = !_running;
            _running = true;
        }

        if (lead)
        {
            FlushNextRound();
            if (StillWaited())
            {
                ThreadPool.UnsafeQueueUserWorkItem(static self => self.Run(), this, preferLocal: false);
            }
        }

        return task;
    }

    private void Run()
    {
        while (FlushNextRound())
        {
        }
    }

    /// <summary>Flushes once for everybody registered so far; false (and no flush running any more) when nobody was.</summary>
    private bool FlushNextRound()
    {
        TaskCompletionSource? batch;
        lock (_gate)
        {
            // Take everybody registered so far; the flush below starts after all of them renamed.
            batch = _waiting;
            _waiting = null;
            if (batch is null)
            {
                _running = false;
                return false;
            }
        }

        try
        {
            _flush(_directory);
            batch.SetResult();
        }
        catch (Exception ex)
        {
            // Every waiter of this round learns the failure; later rounds try again.
            batch.SetException(ex);
        }

        return true;
    }

    /// <summary>True when callers registered during the flush that just ended: a next round must run for them.</summary>
    private bool StillWaited()
    {
        lock (_gate)
        {
            _running = _waiting is not null;
            return _running;
        }
    }
}
