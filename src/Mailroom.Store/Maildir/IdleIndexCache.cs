namespace Mailroom.Store.Maildir;

/// <summary>
/// Index connections of users nobody holds any more (no session, no delivery under way), kept open for a while. Without
/// it, every delivery to a user without an open session opened the SQLite index (three files, the shared memory set up,
/// the WAL created and its directory fsynced) and closed it again (a checkpoint: three fsyncs, two files removed): four
/// fsyncs and four file creations or removals per message beside the message's own, the inode work that journal-less
/// ext4 makes dear. Bounded by count (<see cref="StoreOptions.IdleIndexCacheSize"/>) and age
/// (<see cref="StoreOptions.IdleIndexTimeout"/>), least recently kept first out. A connection is only handed out again
/// while the index file is still the one it opened (<see cref="IndexDatabase.IsTheFileOnDisk"/>): another program may
/// have removed the Maildir meanwhile.
/// </summary>
internal sealed class IdleIndexCache : IDisposable
{
    private readonly int _capacity;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();

    // Most recently kept first; one entry per Maildir (a user has one index connection at a time).
    private readonly LinkedList<Entry> _kept = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byMaildir = new(StringComparer.Ordinal);
    private bool _disposed;

    public IdleIndexCache(int capacity, TimeSpan timeout, TimeProvider time)
    {
        _capacity = capacity;
        _timeout = timeout;
        _time = time;
        _timer = time.CreateTimer(static state => ((IdleIndexCache)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Connections kept (for tests and diagnostics).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _kept.Count;
            }
        }
    }

    /// <summary>The kept connection to <paramref name="maildir"/>'s index, taken out of the cache; null when there is none to use.</summary>
    public IndexDatabase? Take(string maildir)
    {
        IndexDatabase index;
        lock (_gate)
        {
            if (!_byMaildir.Remove(maildir, out LinkedListNode<Entry>? node))
            {
                return null;
            }

            _kept.Remove(node);
            ArmLocked();
            index = node.Value.Index;
        }

        if (index.IsTheFileOnDisk())
        {
            return index;
        }

        index.Dispose();
        return null;
    }

    /// <summary>Keeps <paramref name="index"/>, whose user nobody holds any more; closes it at once when the cache takes none.</summary>
    public void Keep(string maildir, IndexDatabase index)
    {
        List<IndexDatabase> closing = [];
        lock (_gate)
        {
            if (_disposed || _capacity == 0)
            {
                closing.Add(index);
            }
            else
            {
                if (_byMaildir.Remove(maildir, out LinkedListNode<Entry>? stale))
                {
                    _kept.Remove(stale);
                    closing.Add(stale.Value.Index);
                }

                _byMaildir[maildir] = _kept.AddFirst(new Entry(maildir, index, _time.GetTimestamp()));
                while (_kept.Count > _capacity)
                {
                    closing.Add(RemoveOldestLocked());
                }

                ArmLocked();
            }
        }

        Close(closing);
    }

    public void Dispose()
    {
        List<IndexDatabase> closing;
        lock (_gate)
        {
            _disposed = true;
            closing = [.. _kept.Select(static e => e.Index)];
            _kept.Clear();
            _byMaildir.Clear();
        }

        _timer.Dispose();
        Close(closing);
    }

    private void OnTimer()
    {
        List<IndexDatabase> closing = [];
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            while (_kept.Last is { } oldest && _time.GetElapsedTime(oldest.Value.Since) >= _timeout)
            {
                closing.Add(RemoveOldestLocked());
            }

            ArmLocked();
        }

        Close(closing);
    }

    private IndexDatabase RemoveOldestLocked()
    {
        LinkedListNode<Entry> oldest = _kept.Last!;
        _kept.RemoveLast();
        _byMaildir.Remove(oldest.Value.Maildir);
        return oldest.Value.Index;
    }

    /// <summary>One timer for the whole cache, due when the least recently kept connection expires.</summary>
    private void ArmLocked() => IdleExpiry.Arm(_timer, _time, _timeout, _kept.Last?.Value.Since);

    // Outside the cache's lock: closing checkpoints the WAL, which is disk work.
    private static void Close(List<IndexDatabase> closing)
    {
        foreach (IndexDatabase index in closing)
        {
            index.Dispose();
        }
    }

    private sealed record Entry(string Maildir, IndexDatabase Index, long Since);
}
