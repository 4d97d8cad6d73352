using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// One folder, one instance per process, shared by every session that selected it. All changes go through its lock
/// and end in a new immutable <see cref="FolderView"/> followed by <see cref="Changed"/>. The Maildir files and the
/// uidlist are the truth; the index cache mirrors them.
/// </summary>
public sealed partial class MailFolder
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

    // Base names being written by APPEND/COPY: on disk but not yet given a UID; a rescan must not take them.
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    private string _path;
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
    private (long Version, IReadOnlyList<string> Keywords) _knownKeywords = (-1, []);
    private volatile FolderView _view = new(1, 1, 1, [], 0);

    internal MailFolder(UserMailboxes owner, string name, TimeProvider time, ILogger logger)
    {
        _owner = owner;
        _time = time;
        _logger = logger;
        Name = name;
        _path = FolderNames.GetPath(owner.Maildir, name);
        SpecialUse = MailboxRepository.SpecialUseOf(name);
    }

    public string User => _owner.User;

    /// <summary>The canonical name (<c>INBOX</c> upper-case; levels separated by <c>/</c>).</summary>
    public string Name { get; private set; }

    public SpecialUse SpecialUse { get; private set; }

    /// <summary>The latest snapshot; no I/O.</summary>
    public FolderView Current => _view;

    /// <summary>Raised on any thread after the snapshot changed, whoever changed it.</summary>
    public event Action? Changed;

    /// <summary>Every keyword in use in the folder (FLAGS and PERMANENTFLAGS, RFC 9051 §7.3.5).</summary>
    public IReadOnlyList<string> KnownKeywords
    {
        get
        {
            FolderView view = _view;
            (long version, IReadOnlyList<string> keywords) = _knownKeywords;
            if (version == view.Version)
            {
                return keywords;
            }

            var set = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (MessageRecord record in view.MessageArray)
            {
                set.UnionWith(record.Keywords);
            }

            string[] list = [.. set];
            _knownKeywords = (view.Version, list);
            return list;
        }
    }

    internal UserMailboxes Owner => _owner;

    /// <summary>Open leases; guarded by the repository's lock.</summary>
    internal int Leases { get; set; }

    /// <summary>The folder's place in the repository's cache of released folders (null when leased); repository's lock.</summary>
    internal LinkedListNode<MailFolder>? IdleNode { get; set; }

    /// <summary>When the last lease was disposed (<see cref="TimeProvider.GetTimestamp"/>); repository's lock.</summary>
    internal long IdleSince { get; set; }

    /// <summary>The message count charged to the cache of released folders; repository's lock.</summary>
    internal int IdleMessages { get; set; }

    /// <summary>Whether the last load took the messages from the index without listing the directories.</summary>
    internal bool LoadedFromIndex { get; private set; }

    internal string FolderPath => _path;

    /// <summary>
    /// Picks up changes made outside (local delivery, POP3, mutt): cheap when the mtimes of new/ and cur/ are
    /// unchanged, otherwise a rescan that keeps UIDs by base name. Returns the new snapshot.
    /// </summary>
    public FolderView Refresh()
    {
        bool changed;
        lock (_gate)
        {
            if (_owner.IsDisposed)
            {
                // Unloaded (its user left the repository): nobody holds it any more, and it must not reopen the index.
                return _view;
            }

            if (!_loaded)
            {
                LoadLocked();
                return _view;
            }

            if (_deleted || !DirectoriesChanged(out DateTime newStamp, out DateTime curStamp))
            {
                return _view;
            }

            changed = SynchronizeLocked(initial: false, newStamp, curStamp);
        }

        if (changed)
        {
            RaiseChanged();
        }

        return _view;
    }

    /// <summary>Loads the folder on first use (uidlist, index cache, one directory scan).</summary>
    internal void EnsureLoaded()
    {
        lock (_gate)
        {
            if (!_loaded)
            {
                LoadLocked();
            }
        }
    }

    /// <summary>
    /// A released folder is leased again: reload it from disk when its uidlist is no longer the one it knows (the folder
    /// was removed and made again, or another program rewrote it), else refresh it as any open folder.
    /// </summary>
    internal void Reopen()
    {
        lock (_gate)
        {
            if (_loaded && !_deleted && !_uids!.IsUnchangedOnDisk())
            {
                _loaded = false;
                _files.Clear();
                _cached = null;
                _view = new FolderView(1, 1, 1, [], _version);
            }
        }

        Refresh();
    }

    /// <summary>
    /// The last lease is gone: drop the handlers of the sessions that held it (a released folder used to be dropped
    /// with them; a cached one must neither keep those sessions alive nor call them).
    /// </summary>
    internal void DetachHandlers() => Changed = null;

    /// <summary>The folder was renamed (with its directory): follow it.</summary>
    internal void Relocate(string name)
    {
        lock (_gate)
        {
            Name = name;
            _path = FolderNames.GetPath(_owner.Maildir, name);
            SpecialUse = MailboxRepository.SpecialUseOf(name);
        }
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
        return newStamp != _newStamp || curStamp != _curStamp || !_stampsTrusted;
    }

    private (DateTime New, DateTime Cur) ReadStamps() =>
        (Directory.GetLastWriteTimeUtc(Path.Combine(_path, "new")), Directory.GetLastWriteTimeUtc(Path.Combine(_path, "cur")));

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
        _view = new FolderView(_uids?.UidValidity ?? 1, uidNext, _highestModSeq, messages, _version);
    }

    private void Persist(IEnumerable<MessageRecord> upserts, IEnumerable<uint> deletes) =>
        _owner.Index.Apply(
            _indexed!.Id,
            _highestModSeq,
            _recentUid,
            new FolderSyncState(_syncedNewTicks, _syncedCurTicks, _uids!.Stamp, _uids.NextUid),
            upserts,
            deletes);

    private void RaiseChanged()
    {
        Action? handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        foreach (Action handler in handlers.GetInvocationList().Cast<Action>())
        {
            try
            {
                handler();
            }
            catch (Exception ex)
            {
                // One broken session must not stop the others from hearing about the change.
                MailboxLog.ChangedHandlerFailed(_logger, _path, ex);
            }
        }
    }
}
