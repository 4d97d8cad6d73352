namespace Mailroom.Store.Mailboxes;

/// <summary>
/// RFC 7162 §3.2: the UIDs that left a folder, each with the mod-sequence of its expunge, so that QRESYNC can tell a
/// client what vanished since its last look. Bounded (<see cref="StoreOptions.ExpungedUidMemory"/>): past the bound the
/// oldest entries are forgotten, and a question reaching back before the newest forgotten mod-sequence is answered as
/// incomplete, never wrongly. Entries are added in mod-sequence order. Thread-safe.
/// </summary>
internal sealed class ExpungeLog
{
    private readonly Lock _gate = new();
    private readonly int _capacity;

    // Ascending by mod-sequence (each expunge raises HIGHESTMODSEQ, RFC 7162 §3.1.2).
    private readonly List<(ulong ModSeq, uint Uid)> _entries = [];

    // Every expunge at or below this mod-sequence may be missing from _entries.
    private ulong _forgottenThrough;

    public ExpungeLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <summary>The mod-sequence at or below which expunges may be missing.</summary>
    public ulong ForgottenThrough
    {
        get
        {
            lock (_gate)
            {
                return _forgottenThrough;
            }
        }
    }

    /// <summary>
    /// Starts again from what a backend kept (a folder loaded afresh): <paramref name="entries"/> ascending by
    /// mod-sequence, and expunges up to <paramref name="forgottenThrough"/> unknown. Trimmed to the bound.
    /// </summary>
    public void Load(IEnumerable<(ulong ModSeq, uint Uid)> entries, ulong forgottenThrough)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            _entries.Clear();
            _entries.AddRange(entries.Where(e => e.ModSeq > forgottenThrough));
            _forgottenThrough = forgottenThrough;
            TrimLocked();
        }
    }

    /// <summary>Remembers that <paramref name="uids"/> left the folder at <paramref name="modSeq"/>.</summary>
    public void Add(IReadOnlyList<uint> uids, ulong modSeq)
    {
        ArgumentNullException.ThrowIfNull(uids);
        lock (_gate)
        {
            foreach (uint uid in uids)
            {
                _entries.Add((modSeq, uid));
            }

            TrimLocked();
        }
    }

    private void TrimLocked()
    {
        if (_entries.Count > _capacity)
        {
            // Drop an eighth more than needed, so a folder at its bound does not move the whole list per expunge.
            int drop = Math.Min(_entries.Count, _entries.Count - _capacity + (_capacity / 8));
            _forgottenThrough = Math.Max(_forgottenThrough, _entries[drop - 1].ModSeq);
            _entries.RemoveRange(0, drop);
        }
    }

    /// <summary>The UIDs expunged at a mod-sequence above <paramref name="modSeq"/>, ascending, and whether that is all of them.</summary>
    public ExpungedSince Since(ulong modSeq)
    {
        lock (_gate)
        {
            int low = 0;
            int high = _entries.Count;
            while (low < high)
            {
                int middle = low + ((high - low) / 2);
                if (_entries[middle].ModSeq > modSeq)
                {
                    high = middle;
                }
                else
                {
                    low = middle + 1;
                }
            }

            var uids = new uint[_entries.Count - low];
            for (int i = low; i < _entries.Count; i++)
            {
                uids[i - low] = _entries[i].Uid;
            }

            Array.Sort(uids);
            return new ExpungedSince(uids, modSeq >= _forgottenThrough);
        }
    }
}
