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

    // Relative file of each message ("cur/<name>" or "new/<name>"), guarded by _gate.
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

    private void LoadLocked()
    {
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new", "tmp"])
        {
            Directory.CreateDirectory(Path.Combine(_path, sub));
        }

        UidList? uids = UidList.TryLoad(_path, out bool torn);
        if (uids is null)
        {
            uint known = KnownUidValidity();
            uids = UidList.Create(_path, _owner.Repository.NextUidValidity(known), 1);
            if (known != 0)
            {
                MailboxLog.UidListCreated(_logger, _path, uids.UidValidity);
            }
        }
        else if (torn)
        {
            uids.Rewrite(uids.Entries);
        }

        _uids = uids;
        Dictionary<uint, MessageRecord> cached;
        try
        {
            cached = OpenIndex(uids);
        }
        catch (SqliteException ex)
        {
            _owner.Index.Reset(ex);
            cached = OpenIndex(uids);
        }

        DirectoriesChanged(out DateTime newStamp, out DateTime curStamp);
        _loaded = true;
        SynchronizeLocked(initial: true, newStamp, curStamp, cached);
    }

    private Dictionary<uint, MessageRecord> OpenIndex(UidList uids)
    {
        // A cache lost while the uidlist survived restarts mod-sequences from a value above any handed out
        // before (RFC 7162 §3.1.1: HIGHESTMODSEQ never goes down within one UIDVALIDITY): the clock in ms.
        ulong seed = uids.EntryCount == 0 ? 1 : (ulong)Math.Max(1, _time.GetUtcNow().ToUnixTimeMilliseconds());
        _indexed = _owner.Index.GetFolder(Name, uids.UidValidity, seed);
        _highestModSeq = _indexed.HighestModSeq;
        _recentUid = _indexed.RecentUid;
        return _owner.Index.LoadMessages(_indexed.Id);
    }

    private uint KnownUidValidity()
    {
        try
        {
            return _owner.Index.GetKnownUidValidity(Name);
        }
        catch (SqliteException ex)
        {
            _owner.Index.Reset(ex);
            return 0;
        }
    }

    private bool DirectoriesChanged(out DateTime newStamp, out DateTime curStamp)
    {
        newStamp = Directory.GetLastWriteTimeUtc(Path.Combine(_path, "new"));
        curStamp = Directory.GetLastWriteTimeUtc(Path.Combine(_path, "cur"));
        DateTime unstableSince = _time.GetUtcNow().UtcDateTime - UnstableDirectoryAge;
        return newStamp != _newStamp || curStamp != _curStamp || _newStamp >= unstableSince || _curStamp >= unstableSince;
    }

    private void Publish(MessageRecord[] messages)
    {
        _version++;
        uint uidNext = _uids?.NextUid ?? 1;
        _view = new FolderView(_uids?.UidValidity ?? 1, uidNext, _highestModSeq, messages, _version);
    }

    private void Persist(IEnumerable<MessageRecord> upserts, IEnumerable<uint> deletes) =>
        _owner.Index.Apply(_indexed!.Id, _highestModSeq, _recentUid, upserts, deletes);

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
