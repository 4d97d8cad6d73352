using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>What a <see cref="MaildirSave"/> needs of its folder: staging, the source files of copies, and the commit.</summary>
internal sealed partial class MaildirFolder
{
    public override SaveTransaction BeginSave()
    {
        EnsureLoaded(FolderAccess.Reader);
        return new MaildirSave(_owner.Store, this);
    }

    /// <summary>
    /// The record and the current file (relative to the folder) of each of <paramref name="uids"/> still in the
    /// folder, ascending by UID.
    /// </summary>
    internal List<(MessageRecord Record, string File)> Sources(IReadOnlyList<uint> uids)
    {
        EnsureLoaded(FolderAccess.Reader);
        var sources = new List<(MessageRecord Record, string File)>();
        lock (_gate)
        {
            foreach (uint uid in uids.Distinct().Order())
            {
                int index = _view.IndexOfUid(uid);
                if (index >= 0)
                {
                    sources.Add((_view.MessageArray[index], FileOf(_view.MessageArray[index])));
                }
            }
        }

        return sources;
    }

    /// <summary>A copy of the cached fields of <paramref name="uid"/> (COPY and MOVE take them along), or null.</summary>
    internal byte[]?[]? CachedOf(uint uid)
    {
        lock (_gate)
        {
            EnsureLoadedLocked();
            _cached ??= _owner.Index.LoadCached(_indexed!.Id);
            return _cached.TryGetValue(uid, out byte[]?[]? values) && Array.Exists(values, static v => v is not null) ? (byte[]?[])values.Clone() : null;
        }
    }

    /// <summary>Where a message's file is now (relative to the folder) when another agent renamed it; null when gone.</summary>
    internal string? LocateFile(MessageRecord record)
    {
        lock (_gate)
        {
            return Locate(record.BaseName);
        }
    }

    /// <summary>Marks base names as being saved: a rescan must not give them UIDs of its own.</summary>
    internal void AddPending(IEnumerable<string> baseNames)
    {
        lock (_pendingGate)
        {
            _pending.UnionWith(baseNames);
        }
    }

    /// <summary>
    /// Forgets pending base names. With <paramref name="rescan"/> their files are in place without UIDs (a delivery that
    /// left them to the next reader): a scan that skipped them is not trusted, and the next refresh lists the folder.
    /// </summary>
    internal void RemovePending(IEnumerable<string> baseNames, bool rescan = false)
    {
        lock (_pendingGate)
        {
            _pending.ExceptWith(baseNames);
        }

        if (rescan)
        {
            Interlocked.Increment(ref _pendingReleases);
        }
    }

    private bool IsPending(string baseName)
    {
        lock (_pendingGate)
        {
            return _pending.Contains(baseName);
        }
    }

    private bool AnyPending()
    {
        lock (_pendingGate)
        {
            return _pending.Count > 0;
        }
    }

    /// <summary>
    /// Gives the saved files (in cur/, fsynced) UIDs in one uidlist append (fsynced), records them in the index with
    /// the entries computed while they were written (one transaction), publishes them and tells the sessions. Returns the UIDVALIDITY and the UIDs in order.
    /// </summary>
    internal (uint UidValidity, uint[] Uids) Commit(List<(MessageRecord Record, string File, byte[]?[]? Cached)> written)
    {
        uint[] assigned;
        uint uidValidity;
        lock (_gate)
        {
            if (_deleted)
            {
                throw new IOException($"Folder {_name} was deleted.");
            }

            uidValidity = _uids!.UidValidity;
            if (written.Count == 0)
            {
                return (uidValidity, []);
            }

            ulong modSeq = _highestModSeq + 1;
            assigned = _uids.Assign([.. written.Select(static w => w.Record.BaseName)]);
            var records = new MessageRecord[written.Count];
            var cached = new List<(uint Uid, byte[]?[] Values)>();
            for (int i = 0; i < written.Count; i++)
            {
                records[i] = written[i].Record with { Uid = assigned[i], ModSeq = modSeq };
                SetFile(records[i], written[i].File);
                if (written[i].Cached is { } values)
                {
                    cached.Add((assigned[i], values));
                }
            }

            _highestModSeq = modSeq;
            Persist(records, [], cached);
            Publish([.. _view.MessageArray, .. records]);
            RemovePending(written.Select(static w => w.Record.BaseName));
        }

        RaiseChanged();
        _owner.Store.OnUsageChanged(User);
        return (uidValidity, assigned);
    }
}
