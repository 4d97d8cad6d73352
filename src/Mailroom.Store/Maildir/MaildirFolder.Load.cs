using Mailroom.Store.Mailboxes;
using Microsoft.Data.Sqlite;

namespace Mailroom.Store.Maildir;

/// <summary>Loading a folder: from the index alone when it vouches for the directories, else uidlist + cache + one scan.</summary>
internal sealed partial class MaildirFolder
{
    private void LoadLocked(FolderAccess access)
    {
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new", "tmp"])
        {
            System.IO.Directory.CreateDirectory(Path.Combine(_path, sub));
        }

        // Deliveries to the folder while nobody had it loaded left their uidlist lines unsynced: on disk before any
        // session is shown their UIDs.
        UidList.FlushToDisk(_path);
        try
        {
            if (TryLoadFromIndex())
            {
                return;
            }
        }
        catch (SqliteException ex)
        {
            _owner.Index.Reset(ex);
        }

        LoadedFromIndex = false;
        UidList? uids = UidList.TryLoad(_path, out bool torn);
        if (uids is null)
        {
            uint known = KnownUidValidity();
            uids = UidList.Create(_path, _owner.Store.NextUidValidity(known), 1);
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

        if (cached.Count > 0 && cached.Keys.Max() is uint highest && highest >= uids.NextUid)
        {
            // The index recorded UIDs the uidlist no longer has: a power cut took a delivery's lines, appended unsynced
            // (no client was shown them), or an older copy of the file was put back. Their rows are dropped below and
            // the UIDs remembered as expunged, so they must never be given again.
            uids.RaiseNextUid(highest + 1);
        }

        (DateTime newStamp, DateTime curStamp) = ReadStamps();
        _loaded = true;
        SynchronizeLocked(initial: true, newStamp, curStamp, access, cached);
    }

    /// <summary>
    /// The cold-open fast path: when the index rows were reconciled with new/ and cur/ as they still are (same mtimes,
    /// both older than the coarse-mtime window) and with this very uidlist, the rows are the folder: no directory
    /// listing, only the uidlist's header line, one query for the rows. False when anything disagrees.
    /// </summary>
    private bool TryLoadFromIndex()
    {
        long pendingReleases = Interlocked.Read(ref _pendingReleases);
        IndexedFolder? row = _owner.Index.FindFolder(Name);
        if (row is null || !row.Synced.IsKnown)
        {
            return false;
        }

        (DateTime newStamp, DateTime curStamp) = ReadStamps();
        DateTime unstableSince = _time.GetUtcNow().UtcDateTime - UnstableDirectoryAge;
        if (newStamp.Ticks != row.Synced.NewTicks || curStamp.Ticks != row.Synced.CurTicks || newStamp >= unstableSince || curStamp >= unstableSince)
        {
            return false;
        }

        UidList? uids = UidList.TryLoadHeader(_path, row.Synced.UidList, row.Synced.UidNext);
        if (uids is null || uids.UidValidity != row.UidValidity)
        {
            return false;
        }

        List<MessageRecord> messages = _owner.Index.LoadMessages(row.Id);
        if (messages.Count > 0 && messages[^1].Uid >= uids.NextUid)
        {
            return false;
        }

        _uids = uids;
        _indexed = row;
        _highestModSeq = row.HighestModSeq;
        _recentUid = row.RecentUid;
        LoadExpunges();
        _newStamp = newStamp;
        _curStamp = curStamp;
        _stampsTrusted = true;
        _seenPendingReleases = pendingReleases;
        _syncedNewTicks = row.Synced.NewTicks;
        _syncedCurTicks = row.Synced.CurTicks;

        // The scan that vouched for these rows found every file under its canonical name in cur/.
        _files.Clear();
        _loaded = true;
        LoadedFromIndex = true;
        Publish([.. messages]);
        return true;
    }

    private Dictionary<uint, MessageRecord> OpenIndex(UidList uids)
    {
        // A cache lost while the uidlist survived restarts mod-sequences from a value above any handed out
        // before (RFC 7162 §3.1.1: HIGHESTMODSEQ never goes down within one UIDVALIDITY): the clock in ms.
        ulong seed = uids.EntryCount == 0 ? 1 : (ulong)Math.Max(1, _time.GetUtcNow().ToUnixTimeMilliseconds());
        _indexed = _owner.Index.GetFolder(Name, uids.UidValidity, seed);
        _highestModSeq = _indexed.HighestModSeq;
        _recentUid = _indexed.RecentUid;
        LoadExpunges();
        _syncedNewTicks = 0;
        _syncedCurTicks = 0;
        List<MessageRecord> rows = _owner.Index.LoadMessages(_indexed.Id);
        var cached = new Dictionary<uint, MessageRecord>(rows.Count);
        foreach (MessageRecord row in rows)
        {
            cached[row.Uid] = row;
        }

        return cached;
    }

    /// <summary>
    /// The expunges the index remembers for QRESYNC; a folder row without any history (new, or written by an older
    /// build) knows nothing before its current mod-sequence.
    /// </summary>
    private void LoadExpunges()
    {
        (List<(ulong ModSeq, uint Uid)> entries, ulong horizon) = _owner.Index.LoadExpunged(_indexed!.Id, _highestModSeq);
        Expunges.Load(entries, horizon);
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
}
