using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Memory;

/// <summary>One folder of a <see cref="MemoryMailboxStore"/>: the snapshot, each message's bytes and its cached data.</summary>
internal sealed class MemoryFolder : MailFolder
{
    private readonly MemoryMailboxStore _store;
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, byte[]> _contents = [];
    private readonly Dictionary<uint, byte[]?[]> _cached = [];
    private readonly Dictionary<uint, (string EmailId, DateTimeOffset SaveDate)> _objects = [];
    private readonly uint _uidValidity;
    private string _name;
    private SpecialUse _specialUse;
    private uint _uidNext = 1;
    private ulong _highestModSeq = 1;
    private uint _recentUid = 1;
    private long _version;
    private bool _deleted;
    private volatile FolderView _view;

    public MemoryFolder(MemoryMailboxStore store, string user, string name)
        : base(store.Logger, store.ExpungedUidMemory, store.HeldBudget)
    {
        _store = store;
        User = user;
        _name = name;
        _specialUse = DefaultFolders.SpecialUseOf(name);
        _uidValidity = store.NextUidValidity();
        _view = new FolderView(_uidValidity, _uidNext, _highestModSeq, [], _version);
    }

    public override string User { get; }

    public override string Name => _name;

    public override SpecialUse SpecialUse => _specialUse;

    public override FolderView Current => _view;

    public override uint RecentBoundary
    {
        get
        {
            lock (_gate)
            {
                return _recentUid;
            }
        }
    }

    /// <summary>RFC 8474 §4 MAILBOXID: made with the folder, kept by renames, gone with it.</summary>
    internal string MailboxId { get; } = ObjectIds.New('F');

    /// <summary>Open leases; guarded by the store's lock.</summary>
    internal int Leases { get; set; }

    /// <summary>Nobody else changes a folder in memory behind the store's back: the snapshot is always current.</summary>
    public override FolderView Refresh() => _view;

    public override Stream OpenContent(uint uid)
    {
        lock (_gate)
        {
            return _contents.TryGetValue(uid, out byte[]? content)
                ? new MemoryStream(content, writable: false)
                : Held.TryOpen(uid) ?? throw new MessageGoneException($"UID {uid} is not in {_name}.");
        }
    }

    public override byte[]? GetCached(uint uid, CachedField field)
    {
        lock (_gate)
        {
            return _cached.TryGetValue(uid, out byte[]?[]? values) ? values[(int)field] : null;
        }
    }

    public override void SetCached(uint uid, CachedField field, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (!_contents.ContainsKey(uid))
            {
                return;
            }

            if (!_cached.TryGetValue(uid, out byte[]?[]? values))
            {
                values = new byte[]?[CachedFields.Count];
                _cached[uid] = values;
            }

            values[(int)field] = value;
        }
    }

    public override uint ClaimRecent(uint upTo)
    {
        lock (_gate)
        {
            uint lowest = _recentUid;
            _recentUid = Math.Max(_recentUid, Math.Min(upTo, _uidNext));
            return lowest;
        }
    }

    public override FlagUpdateResult UpdateFlags(IReadOnlyList<uint> uids, FlagUpdateMode mode, MessageFlags flags,
        IReadOnlyList<string> keywords, ulong? unchangedSince)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(keywords);
        var changed = new List<MessageRecord>();
        var modified = new List<uint>();
        lock (_gate)
        {
            MessageRecord[] messages = _view.MessageArray;
            MessageRecord[]? updated = null;
            ulong modSeq = _highestModSeq + 1;
            string[] requested = NormalizeKeywords(keywords);
            foreach (uint uid in uids.Distinct().Order())
            {
                int index = _view.IndexOfUid(uid);
                if (index < 0)
                {
                    continue;
                }

                MessageRecord record = messages[index];
                if (unchangedSince is { } limit && record.ModSeq > limit)
                {
                    modified.Add(uid);
                    continue;
                }

                if (UpdatedFlags(record, mode, flags, requested) is not { } update)
                {
                    continue;
                }

                (MessageFlags newFlags, string[] newKeywords) = update;

                updated ??= (MessageRecord[])messages.Clone();
                updated[index] = record with { Flags = newFlags, Keywords = newKeywords, ModSeq = modSeq };
                changed.Add(updated[index]);
            }

            if (updated is not null)
            {
                _highestModSeq = modSeq;
                Publish(updated);
            }
        }

        if (changed.Count > 0)
        {
            RaiseChanged();
        }

        return new FlagUpdateResult(changed, modified);
    }

    public override IReadOnlyList<uint> Expunge(IReadOnlyList<uint>? uids)
    {
        HashSet<uint>? only = uids is null ? null : [.. uids];
        return Remove([.. _view.Messages.Where(m => m.Flags.HasFlag(MessageFlags.Deleted) && (only is null || only.Contains(m.Uid))).Select(static m => m.Uid)]);
    }

    public override IReadOnlyList<uint> Remove(IReadOnlyList<uint> uids)
    {
        ArgumentNullException.ThrowIfNull(uids);
        var removed = new List<uint>();
        var holds = new List<(uint Uid, byte[] Content)>();
        lock (_gate)
        {
            foreach (uint uid in uids.Distinct().Order())
            {
                if (_contents.Remove(uid, out byte[]? content))
                {
                    _cached.Remove(uid);
                    _objects.Remove(uid);
                    removed.Add(uid);
                    if (Held.TryReserve())
                    {
                        // RFC 2180 §4.1.1: readable while a session may still show it (see ExpungedContentHold).
                        holds.Add((uid, content));
                    }
                }
            }

            if (removed.Count > 0)
            {
                // RFC 7162 §3.1.2: an expunge also raises HIGHESTMODSEQ; §3.2: the UIDs are remembered with it.
                _highestModSeq++;
                Expunges.Add(removed, _highestModSeq);
                var gone = new HashSet<uint>(removed);
                Publish([.. _view.MessageArray.Where(m => !gone.Contains(m.Uid))]);
                foreach ((uint uid, byte[] content) in holds)
                {
                    Held.Keep(uid, _version, new HeldMessageBytes(content));
                }
            }
        }

        if (removed.Count > 0)
        {
            RaiseChanged();
            _store.OnUsageChanged(User);
        }

        return removed;
    }

    public override string GetEmailId(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            // A message expunged meanwhile still has an id nobody else will have: one derived from its unique name.
            return _objects.TryGetValue(record.Uid, out (string EmailId, DateTimeOffset SaveDate) known) ? known.EmailId : ObjectIds.Derived('M', record.BaseName);
        }
    }

    public override DateTimeOffset GetSaveDate(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            return _objects.TryGetValue(record.Uid, out (string EmailId, DateTimeOffset SaveDate) known) ? known.SaveDate : record.InternalDate;
        }
    }

    public override SaveTransaction BeginSave() => new MemorySave(_store, this, delivery: false);

    /// <summary>
    /// The bytes of a message of this folder, for a copy (they never change), with a copy of its cached fields, or null
    /// when it is gone.
    /// </summary>
    internal (MessageRecord Record, byte[] Content, byte[]?[]? Cached)? Source(uint uid)
    {
        lock (_gate)
        {
            int index = _view.IndexOfUid(uid);
            return index >= 0 && _contents.TryGetValue(uid, out byte[]? content)
                ? (_view.MessageArray[index], content, _cached.TryGetValue(uid, out byte[]?[]? cached) ? (byte[]?[])cached.Clone() : null)
                : null;
        }
    }

    /// <summary>
    /// Gives the saved messages consecutive UIDs and publishes them with the entries computed as they were saved.
    /// Returns the UIDVALIDITY and the UIDs.
    /// </summary>
    /// <exception cref="IOException">The folder was deleted meanwhile.</exception>
    internal (uint UidValidity, uint[] Uids) Commit(IReadOnlyList<(MessageRecord Record, byte[] Content, string EmailId, byte[]?[]? Cached)> saved)
    {
        uint[] uids = new uint[saved.Count];
        lock (_gate)
        {
            if (_deleted)
            {
                throw new IOException($"Folder {_name} was deleted.");
            }

            if (saved.Count == 0)
            {
                return (_uidValidity, uids);
            }

            ulong modSeq = _highestModSeq + 1;
            DateTimeOffset saveDate = _store.Time.GetUtcNow();
            var records = new MessageRecord[saved.Count];
            for (int i = 0; i < saved.Count; i++)
            {
                uids[i] = _uidNext++;
                records[i] = saved[i].Record with { Uid = uids[i], ModSeq = modSeq };
                _contents[uids[i]] = saved[i].Content;
                _objects[uids[i]] = (saved[i].EmailId, saveDate);
                if (saved[i].Cached is { } cached)
                {
                    _cached[uids[i]] = cached;
                }
            }

            _highestModSeq = modSeq;
            Publish([.. _view.MessageArray, .. records]);
        }

        RaiseChanged();
        _store.OnUsageChanged(User);
        return (_uidValidity, uids);
    }

    /// <summary>RENAME INBOX: every message moves into <paramref name="target"/>, keeping its flags and keywords.</summary>
    internal void MoveAllTo(MemoryFolder target)
    {
        List<(MessageRecord Record, byte[] Content, string EmailId, byte[]?[]? Cached)> all;
        lock (_gate)
        {
            all = [.. _view.MessageArray.Select(m => (m with { Uid = 0 }, _contents[m.Uid], _objects[m.Uid].EmailId, _cached.GetValueOrDefault(m.Uid)))];
        }

        List<uint> uids = [.. _view.Messages.Where(m => all.Exists(a => a.Record.BaseName == m.BaseName)).Select(static m => m.Uid)];
        target.Commit(all);
        Remove(uids);
    }

    /// <summary>The folder was renamed: follow it.</summary>
    internal void Relocate(string name)
    {
        lock (_gate)
        {
            _name = name;
            _specialUse = DefaultFolders.SpecialUseOf(name);
        }
    }

    /// <summary>The folder was deleted: sessions still holding it see every message expunged.</summary>
    internal void MarkDeleted()
    {
        lock (_gate)
        {
            _deleted = true;
            _contents.Clear();
            Held.ReleaseAll();
            _cached.Clear();
            _objects.Clear();
            _highestModSeq++;
            Publish([]);
        }

        RaiseChanged();
    }

    private void Publish(MessageRecord[] messages)
    {
        _version++;
        _view = new FolderView(_uidValidity, _uidNext, _highestModSeq, messages, _version, _view);
    }
}
