using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Maildir;

/// <summary>
/// One Maildir folder, one instance per process, shared by every session that opened it. All changes go through its
/// lock and end in a new immutable <see cref="FolderView"/> followed by <see cref="MailFolder.Changed"/>. The Maildir
/// files and the uidlist are the truth; the index cache mirrors them.
/// </summary>
internal sealed partial class MaildirFolder : MailFolder
{
    // Linux file times advance in clock ticks (or whole seconds on some file systems): a directory changed again
    // within the same tick keeps its mtime, so a directory modified this recently is rescanned anyway (Dovecot's rule).
    private static readonly TimeSpan UnstableDirectoryAge = TimeSpan.FromSeconds(2);

    private readonly UserMailboxes _owner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Relative file of a message ("cur/<name>" or "new/<name>") whose name is not the canonical one of its record
    // (FileOf); guarded by _gate. A folder loaded from the index starts with none, so loading allocates no paths.
    private readonly Dictionary<uint, string> _files = [];

    // Base names being saved: on disk but not yet given a UID; a rescan must not take them. Guarded by its own lock, not
    // _gate: a delivery marks its files before renaming them and must not wait for a reader indexing the folder.
    private readonly Lock _pendingGate = new();
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    // Counts pending base names handed back to the next rescan (a delivery that could not number its files); a scan
    // that began before the latest such release may have skipped them, so the folder is rescanned and not vouched for.
    private long _pendingReleases;
    private long _seenPendingReleases;

    private string _name;
    private string _path;
    private SpecialUse _specialUse;
    private bool _loaded;
    private bool _deleted;
    private UidList? _uids;
    private IndexedFolder? _indexed;
    private ulong _highestModSeq;
    private uint _recentUid;
    private long _version;
    private DateTime _newStamp;
    private DateTime _curStamp;

    // Whether _newStamp/_curStamp were read at least the coarse-mtime window before the scan that used them began:
    // only then does an unchanged mtime prove an unchanged directory (Dovecot's MAILDIR_SYNC_SECS rule).
    private bool _stampsTrusted;

    // The mtimes of new/ and cur/ the index rows were reconciled with (0: none it may trust), persisted with them.
    private long _syncedNewTicks;
    private long _syncedCurTicks;
    private Dictionary<uint, byte[]?[]>? _cached;
    private volatile FolderView _view = new(1, 1, 1, [], 0);

    internal MaildirFolder(UserMailboxes owner, string name, TimeProvider time, ILogger logger)
        : base(logger, owner.Store.ExpungedUidMemory, owner.Store.HeldBudget)
    {
        _owner = owner;
        _time = time;
        _logger = logger;
        _name = name;
        _path = FolderNames.GetPath(owner.Maildir, name);
        _specialUse = DefaultFolders.SpecialUseOf(name);
    }

    public override string User => _owner.User;

    public override string Name => _name;

    public override SpecialUse SpecialUse => _specialUse;

    public override FolderView Current => _view;

    internal UserMailboxes Owner => _owner;

    /// <summary>Open leases; guarded by the store's lock.</summary>
    internal int Leases { get; set; }

    /// <summary>The folder's place in the store's cache of released folders (null when leased); store's lock.</summary>
    internal LinkedListNode<MaildirFolder>? IdleNode { get; set; }

    /// <summary>When the last lease was disposed (<see cref="TimeProvider.GetTimestamp"/>); store's lock.</summary>
    internal long IdleSince { get; set; }

    /// <summary>The message count charged to the cache of released folders; store's lock.</summary>
    internal int IdleMessages { get; set; }

    /// <summary>Whether the folder's messages are in memory (read without its lock: a hint for the cache of released folders).</summary>
    internal bool IsLoaded => Volatile.Read(ref _loaded);

    /// <summary>Whether the last load took the messages from the index without listing the directories.</summary>
    internal bool LoadedFromIndex { get; private set; }

    internal string FolderPath => _path;

    /// <summary>
    /// Picks up changes made outside (local delivery, POP3, mutt): cheap when the mtimes of new/ and cur/ are
    /// unchanged, otherwise a rescan that keeps UIDs by base name. Messages in new/ move to cur/ (a mail reader has
    /// seen them). Returns the new snapshot.
    /// </summary>
    public override FolderView Refresh() => Refresh(FolderAccess.Reader);

    /// <summary>EXAMINE's refresh: picks up changes; new mail stays in new/ (read-only, RFC 3501 §6.3.2).</summary>
    public override FolderView RefreshReadOnly() => Refresh(FolderAccess.ReadOnlyReader);

    /// <summary><see cref="Refresh()"/> on behalf of <paramref name="access"/> (POP3 and the watcher leave new/ alone).</summary>
    internal FolderView Refresh(FolderAccess access)
    {
        bool changed;
        lock (_gate)
        {
            if (_owner.IsDisposed)
            {
                // Unloaded (its user left the store): nobody holds it any more, and it must not reopen the index.
                return _view;
            }

            if (!_loaded)
            {
                LoadLocked(access);
                return _view;
            }

            if (_deleted)
            {
                return _view;
            }

            if (!DirectoriesChanged(out DateTime newStamp, out DateTime curStamp))
            {
                if (access == FolderAccess.Reader)
                {
                    // A POP3 session loaded the folder and left new mail in new/; a reader has seen it now.
                    MoveNewToCur(_view.MessageArray);
                }

                return _view;
            }

            changed = SynchronizeLocked(initial: false, newStamp, curStamp, access);
        }

        if (changed)
        {
            RaiseChanged();
        }

        return _view;
    }

    /// <summary>Loads the folder on first use (uidlist, index cache, one directory scan).</summary>
    internal void EnsureLoaded(FolderAccess access)
    {
        lock (_gate)
        {
            if (!_loaded)
            {
                LoadLocked(access);
            }
        }
    }

    /// <summary>
    /// A released folder is leased again: reload it from disk when its uidlist is no longer the one it knows (the folder
    /// was removed and made again, or another program rewrote it), else refresh it as any open folder.
    /// </summary>
    internal void Reopen(FolderAccess access)
    {
        lock (_gate)
        {
            if (_loaded && !_deleted && !_uids!.IsUnchangedOnDisk())
            {
                _loaded = false;
                _files.Clear();
                _cached = null;
                Held.ReleaseAll();
                // A new version: no session may take the reload for a change from the snapshot it last saw.
                _view = new FolderView(1, 1, 1, [], ++_version);
            }
        }

        Refresh(access);
    }

    /// <summary>The folder was renamed (with its directory): follow it.</summary>
    internal void Relocate(string name)
    {
        lock (_gate)
        {
            _name = name;
            _path = FolderNames.GetPath(_owner.Maildir, name);
            _specialUse = DefaultFolders.SpecialUseOf(name);
        }

        RewatchAfterMove();
    }

    /// <summary>The folder was deleted: sessions still holding it see every message expunged.</summary>
    internal void MarkDeleted()
    {
        lock (_gate)
        {
            if (_deleted)
            {
                return;
            }

            _deleted = true;
            _files.Clear();
            _cached = null;
            Held.ReleaseAll();
            _highestModSeq++;
            Publish([]);
        }

        RaiseChanged();
    }

    private bool DirectoriesChanged(out DateTime newStamp, out DateTime curStamp)
    {
        (newStamp, curStamp) = ReadStamps();

        // Untrusted stamps (changed within the window before the last scan) are rescanned until they settle; this
        // includes the rule that a directory modified less than the window ago is always rescanned.
        return newStamp != _newStamp || curStamp != _curStamp || !_stampsTrusted
            || Interlocked.Read(ref _pendingReleases) != _seenPendingReleases;
    }

    private (DateTime New, DateTime Cur) ReadStamps() =>
        (System.IO.Directory.GetLastWriteTimeUtc(Path.Combine(_path, "new")), System.IO.Directory.GetLastWriteTimeUtc(Path.Combine(_path, "cur")));

    /// <summary>The message's file relative to the folder: remembered when unusual, else its canonical name in cur/.</summary>
    private string FileOf(MessageRecord record) =>
        _files.TryGetValue(record.Uid, out string? file)
            ? file
            : "cur/" + MaildirFileName.CurName(record.BaseName, MaildirInfo.ToLetters(record.Flags));

    /// <summary>Remembers where a message's file is, unless it is where <see cref="FileOf"/> would look.</summary>
    private void SetFile(MessageRecord record, string file)
    {
        if (MaildirInfo.IsCanonicalFile(file, record.BaseName, record.Flags))
        {
            _files.Remove(record.Uid);
        }
        else
        {
            _files[record.Uid] = file;
        }
    }

    private void Publish(MessageRecord[] messages)
    {
        _version++;
        uint uidNext = _uids?.NextUid ?? 1;
        _view = new FolderView(_uids?.UidValidity ?? 1, uidNext, _highestModSeq, messages, _version, _view);
    }

    /// <summary>
    /// Writes a change to the index; <paramref name="cached"/> are entries of new messages, kept in memory too, written
    /// in the same transaction or, with <paramref name="cachedSoon"/>, right after it off the caller's thread. Deleted
    /// rows are expunges at the current HIGHESTMODSEQ (every caller raised it for them), kept for QRESYNC.
    /// </summary>
    private void Persist(IEnumerable<MessageRecord> upserts, IReadOnlyList<uint> deletes, IReadOnlyList<(uint Uid, byte[]?[] Values)>? cached = null,
        bool cachedSoon = false)
    {
        _owner.Index.Apply(
            _indexed!.Id,
            _highestModSeq,
            _recentUid,
            new FolderSyncState(_syncedNewTicks, _syncedCurTicks, _uids!.Stamp, _uids.NextUid),
            upserts,
            deletes,
            Expunges.ForgottenThrough,
            cachedSoon ? null : cached);
        if (cachedSoon && cached is { Count: > 0 })
        {
            _owner.Index.SetCachedSoon(_indexed.Id, cached);
        }

        if (_cached is not null && cached is not null)
        {
            foreach ((uint uid, byte[]?[] values) in cached)
            {
                _cached[uid] = values;
            }
        }
    }
}
