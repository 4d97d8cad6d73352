namespace Mailroom.Store.Mailboxes;

/// <summary>
/// RFC 2180 §4.1.1: a server may keep an expunged message readable for the sessions that have not been told of the
/// EXPUNGE yet (RFC 3501 §7.4.1 forbids telling them during FETCH, STORE and SEARCH), so their FETCH, SEARCH, SORT and
/// THREAD of it answer as before the expunge instead of dropping it from results or failing. Mailroom does so: a
/// folder holds the content of each message it removes while any <see cref="FolderViewer"/> may still show it, and
/// frees it when the last such viewer has reported the EXPUNGE or gone. Bounded store-wide by
/// <see cref="HeldContentBudget"/>; beyond it, and for messages another program removed, RFC 2180 §4.1.3 applies (a
/// FETCH of the message answers NO [EXPUNGEISSUED], a SEARCH leaves it out and says OK [EXPUNGEISSUED]). Nothing is
/// written to disk: a Maildir file held is an open handle to an unlinked file, which the kernel frees when the process
/// ends, so a crash leaves nothing behind. Thread-safe.
/// </summary>
internal sealed class ExpungedContentHold
{
    private readonly Lock _gate = new();
    private readonly HeldContentBudget _budget;

    // How many viewers show each snapshot version (the version through which they show no expunged message): the
    // lowest key bounds what may still be shown. Changed in O(log viewers) per acknowledgement.
    private readonly SortedDictionary<long, int> _viewersByVersion = [];
    private readonly Dictionary<uint, (long Version, HeldContent Content)> _held = [];
    private long _lowestHeldVersion = long.MaxValue;

    public ExpungedContentHold(HeldContentBudget budget)
    {
        _budget = budget;
    }

    /// <summary>How many messages this folder holds now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>A viewer that shows snapshot <paramref name="version"/> (or a later one).</summary>
    public FolderViewer Add(long version)
    {
        lock (_gate)
        {
            var viewer = new FolderViewer(this, version);
            AddLocked(version);
            return viewer;
        }
    }

    /// <summary>
    /// Takes a place for one message about to be removed: false when no viewer could show it or the store-wide bound is
    /// reached (then the message is removed without a hold). A place taken is given to <see cref="Keep"/> or
    /// <see cref="Unreserve"/>.
    /// </summary>
    public bool TryReserve()
    {
        lock (_gate)
        {
            if (_viewersByVersion.Count == 0)
            {
                return false;
            }
        }

        return _budget.TryTake();
    }

    /// <summary>Gives back a place from <see cref="TryReserve"/> that was not used (the file could not be opened).</summary>
    public void Unreserve() => _budget.Return(1);

    /// <summary>
    /// Holds <paramref name="content"/> of <paramref name="uid"/>, removed in snapshot <paramref name="version"/>, while
    /// a viewer shows an earlier snapshot; released at once when none does.
    /// </summary>
    public void Keep(uint uid, long version, HeldContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        HeldContent? replaced = null;
        bool kept = false;
        lock (_gate)
        {
            if (_viewersByVersion.Count > 0 && _viewersByVersion.First().Key < version)
            {
                if (_held.Remove(uid, out (long Version, HeldContent Content) old))
                {
                    replaced = old.Content;
                }

                _held[uid] = (version, content);
                _lowestHeldVersion = Math.Min(_lowestHeldVersion, version);
                kept = true;
            }
        }

        if (replaced is not null)
        {
            Free([replaced]);
        }

        if (!kept)
        {
            Free([content]);
        }
    }

    /// <summary>A new stream over the held content of <paramref name="uid"/>, or null when it is not held.</summary>
    public Stream? TryOpen(uint uid)
    {
        lock (_gate)
        {
            // Opened under the lock, so a release cannot free the content between the lookup and the open.
            return _held.TryGetValue(uid, out (long Version, HeldContent Content) entry) ? entry.Content.Open() : null;
        }
    }

    /// <summary>Whether <paramref name="uid"/> is held (its content can be read though it left the folder).</summary>
    public bool IsHeld(uint uid)
    {
        lock (_gate)
        {
            return _held.ContainsKey(uid);
        }
    }

    /// <summary>Releases everything (the folder was deleted or reloaded: its UIDs no longer name these messages).</summary>
    public void ReleaseAll()
    {
        List<HeldContent> released;
        lock (_gate)
        {
            released = [.. _held.Values.Select(static e => e.Content)];
            _held.Clear();
            _lowestHeldVersion = long.MaxValue;
        }

        Free(released);
    }

    internal void Acknowledge(FolderViewer viewer, long version)
    {
        List<HeldContent>? released;
        lock (_gate)
        {
            if (version <= viewer.ShownVersion)
            {
                return;
            }

            RemoveLocked(viewer.ShownVersion);
            viewer.ShownVersion = version;
            AddLocked(version);
            released = ReleaseShownLocked();
        }

        Free(released);
    }

    internal void Remove(FolderViewer viewer)
    {
        List<HeldContent>? released;
        lock (_gate)
        {
            RemoveLocked(viewer.ShownVersion);
            released = ReleaseShownLocked();
        }

        Free(released);
    }

    private void AddLocked(long version) =>
        _viewersByVersion[version] = _viewersByVersion.GetValueOrDefault(version) + 1;

    private void RemoveLocked(long version)
    {
        int count = _viewersByVersion[version] - 1;
        if (count == 0)
        {
            _viewersByVersion.Remove(version);
        }
        else
        {
            _viewersByVersion[version] = count;
        }
    }

    /// <summary>Takes out every held message no viewer can show any more (removed at or before the lowest version shown).</summary>
    private List<HeldContent>? ReleaseShownLocked()
    {
        long lowestShown = _viewersByVersion.Count == 0 ? long.MaxValue : _viewersByVersion.First().Key;
        if (_held.Count == 0 || lowestShown < _lowestHeldVersion)
        {
            return null;
        }

        var released = new List<HeldContent>();
        long lowestLeft = long.MaxValue;
        foreach ((uint uid, (long version, HeldContent content)) in _held)
        {
            if (version <= lowestShown)
            {
                released.Add(content);
                _held.Remove(uid);
            }
            else
            {
                lowestLeft = Math.Min(lowestLeft, version);
            }
        }

        _lowestHeldVersion = lowestLeft;
        return released;
    }

    private void Free(List<HeldContent>? released)
    {
        if (released is null || released.Count == 0)
        {
            return;
        }

        foreach (HeldContent content in released)
        {
            content.Release();
        }

        _budget.Return(released.Count);
    }
}
