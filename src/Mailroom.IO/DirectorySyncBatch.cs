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

    public Task RequestAsync()
    {
        bool start = false;
        Task task;
        lock (_gate)
        {
            _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _waiting.Task;
            if (!_running)
            {
                _running = true;
                start = true;
            }
        }

        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.Run(), this, preferLocal: false);
        }

        return task;
    }

    private void Run()
    {
        while (true)
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
                    return;
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
        }
    }
}
