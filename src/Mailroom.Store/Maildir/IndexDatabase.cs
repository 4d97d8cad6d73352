using System.Globalization;
using Mailroom.IO;
using Mailroom.Store.Mailboxes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Maildir;

/// <summary>
/// The cache of one user's folders, <c>&lt;maildir&gt;/mailroom-index.db</c> (SQLite, WAL, synchronous=NORMAL):
/// keywords, mod-sequences, sizes, internal dates, flags mirrored from the file names, and the protocol data the
/// IMAP layer caches. Only a cache: the Maildir files and each folder's uidlist are the truth, so a missing or
/// corrupt database is deleted and rebuilt from them (DESIGN.md invariant 8). Thread-safe (one connection, one lock).
/// </summary>
internal sealed partial class IndexDatabase : IDisposable
{
    public const string FileName = "mailroom-index.db";
    // 2: folder rows remember the last scan (FolderSyncState); message rows are stored in UID order (WITHOUT ROWID).
    private const int SchemaVersion = 2;

    // Cached protocol data is written in batches: one transaction per datum costs ~60 µs (the WAL commit), so the first
    // FETCH ENVELOPE of 10,000 messages spent half its time committing. Pending rows are written before any other use
    // of the database (so a later delete of the message or folder always follows them) and at Dispose; a crash loses
    // at most a batch of cache rows, which are computed again.
    private const int CachedWriteBatch = 512;

    private readonly string _path;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<(long FolderId, uint Uid, CachedField Field, byte[] Value)> _pendingCached = [];
    private SqliteConnection _connection;
    private FileIdentity? _opened;
    private bool _flushQueued;
    private bool _disposed;

    private IndexDatabase(string path, ILogger logger, SqliteConnection connection)
    {
        _path = path;
        _logger = logger;
        _connection = connection;
        _opened = FileIdentity.Of(path);
    }

    public static IndexDatabase Open(string maildir, ILogger logger)
    {
        string path = Path.Combine(maildir, FileName);
        return new IndexDatabase(path, logger, Connect(path, logger));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                WritePendingCachedLocked();
            }
            catch (SqliteException ex)
            {
                MailboxLog.CachedWriteFailed(_logger, _path, ex);
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    /// <summary>Throws the cache away and starts an empty one (called when a query finds it corrupt).</summary>
    public void Reset(Exception reason)
    {
        lock (_gate)
        {
            MailboxLog.IndexRebuilt(_logger, _path, reason);
            _pendingCached.Clear();
            _connection.Dispose();
            DeleteFiles(_path);
            _connection = Connect(_path, _logger);
            _opened = FileIdentity.Of(_path);
        }
    }

    /// <summary>
    /// Whether the connection still works on the file the index's path names: false once another program (an
    /// administrator's <c>user delete</c>, a restore from backup) removed or replaced it while this connection was kept.
    /// </summary>
    public bool IsTheFileOnDisk()
    {
        lock (_gate)
        {
            return !_disposed && _opened is { } opened && FileIdentity.Of(_path) == opened;
        }
    }

    /// <summary>
    /// The row of <paramref name="name"/>. When it is missing or belongs to another UIDVALIDITY, its messages are
    /// dropped and it starts at <paramref name="initialModSeq"/>.
    /// </summary>
    public IndexedFolder GetFolder(string name, uint uidValidity, ulong initialModSeq)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            if (FindFolderLocked(name) is { } found)
            {
                if (found.UidValidity == uidValidity)
                {
                    return found;
                }

                DeleteFolderRows(found.Id);
            }

            using SqliteCommand insert = Command(
                "INSERT INTO folder (name, uidvalidity, highest_modseq, recent_uid) VALUES ($name, $v, $m, 1) RETURNING id");
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$v", (long)uidValidity);
            insert.Parameters.AddWithValue("$m", (long)initialModSeq);
            long newId = (long)insert.ExecuteScalar()!;
            return new IndexedFolder(newId, uidValidity, initialModSeq, 1, Existed: false, default);
        }
    }

    /// <summary>The row of <paramref name="name"/> as it is, or null.</summary>
    public IndexedFolder? FindFolder(string name)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            return FindFolderLocked(name);
        }
    }

    /// <summary>The UIDVALIDITY the cache last knew for <paramref name="name"/> (0 when none).</summary>
    public uint GetKnownUidValidity(string name)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            using SqliteCommand select = Command("SELECT uidvalidity FROM folder WHERE name = $name");
            select.Parameters.AddWithValue("$name", name);
            return select.ExecuteScalar() is long value ? (uint)value : 0;
        }
    }

    /// <summary>
    /// The folder's message rows ascending by UID, in one query over the primary key. Only the base name (and the
    /// keywords, when there are any) allocate: everything else is read as integers.
    /// </summary>
    public List<MessageRecord> LoadMessages(long folderId)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            var messages = new List<MessageRecord>();
            using SqliteCommand select = Command(
                "SELECT uid, base, size, internal_date, zone, flags, NULLIF(keywords, ''), modseq FROM message " +
                "WHERE folder_id = $f ORDER BY uid");
            select.Parameters.AddWithValue("$f", folderId);
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                int zone = reader.GetInt32(4);
                DateTimeOffset date = DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(3));
                string baseName = reader.GetString(1);
                messages.Add(new MessageRecord(
                    (uint)reader.GetInt64(0),
                    baseName,
                    reader.GetInt64(2),
                    zone == 0 ? date : date.ToOffset(TimeSpan.FromMinutes(zone)),
                    (MessageFlags)reader.GetInt32(5),
                    reader.IsDBNull(6) ? [] : reader.GetString(6).Split(' '),
                    (ulong)reader.GetInt64(7))
                {
                    WireSize = MaildirFileName.SizeField(baseName, 'W'),
                });
            }

            return messages;
        }
    }

    /// <summary>
    /// Records one change of a folder in one transaction, with the cached fields of messages indexed as they were saved
    /// or found (<paramref name="cached"/>: per UID, an array indexed by <see cref="CachedField"/>). <paramref name="deletes"/>
    /// are expunges at <paramref name="highestModSeq"/>, remembered down to <paramref name="expungeHorizon"/> (see
    /// <see cref="LoadExpunged"/>).
    /// </summary>
    public void Apply(long folderId, ulong highestModSeq, uint recentUid, FolderSyncState synced,
        IEnumerable<MessageRecord> upserts, IReadOnlyList<uint> deletes, ulong expungeHorizon, IReadOnlyList<(uint Uid, byte[]?[] Values)>? cached = null)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            using SqliteTransaction transaction = _connection.BeginTransaction();
            using (SqliteCommand update = Command(
                "UPDATE folder SET highest_modseq = $m, recent_uid = $r, new_mtime = $nm, cur_mtime = $cm, " +
                "uidlist_length = $ul, uidlist_mtime = $ut, uid_next = $un WHERE id = $f"))
            {
                update.Parameters.AddWithValue("$m", (long)highestModSeq);
                update.Parameters.AddWithValue("$r", (long)recentUid);
                update.Parameters.AddWithValue("$nm", synced.NewTicks);
                update.Parameters.AddWithValue("$cm", synced.CurTicks);
                update.Parameters.AddWithValue("$ul", synced.UidList.Length);
                update.Parameters.AddWithValue("$ut", synced.UidList.Ticks);
                update.Parameters.AddWithValue("$un", (long)synced.UidNext);
                update.Parameters.AddWithValue("$f", folderId);
                update.ExecuteNonQuery();
            }

            using (SqliteCommand upsert = Command(
                "INSERT OR REPLACE INTO message (folder_id, uid, base, size, internal_date, zone, flags, keywords, modseq) " +
                "VALUES ($f, $u, $b, $s, $d, $z, $fl, $k, $m)"))
            {
                SqliteParameter f = upsert.Parameters.AddWithValue("$f", folderId);
                SqliteParameter u = upsert.Parameters.Add("$u", SqliteType.Integer);
                SqliteParameter b = upsert.Parameters.Add("$b", SqliteType.Text);
                SqliteParameter s = upsert.Parameters.Add("$s", SqliteType.Integer);
                SqliteParameter d = upsert.Parameters.Add("$d", SqliteType.Integer);
                SqliteParameter z = upsert.Parameters.Add("$z", SqliteType.Integer);
                SqliteParameter fl = upsert.Parameters.Add("$fl", SqliteType.Integer);
                SqliteParameter k = upsert.Parameters.Add("$k", SqliteType.Text);
                SqliteParameter m = upsert.Parameters.Add("$m", SqliteType.Integer);
                foreach (MessageRecord record in upserts)
                {
                    u.Value = (long)record.Uid;
                    b.Value = record.BaseName;
                    s.Value = record.Size;
                    d.Value = record.InternalDate.ToUnixTimeSeconds();
                    z.Value = (long)record.InternalDate.Offset.TotalMinutes;
                    fl.Value = (long)record.Flags;
                    k.Value = string.Join(' ', record.Keywords);
                    m.Value = (long)record.ModSeq;
                    upsert.ExecuteNonQuery();
                }
            }

            using (SqliteCommand delete = Command("DELETE FROM message WHERE folder_id = $f AND uid = $u"))
            using (SqliteCommand deleteCached = Command("DELETE FROM cached WHERE folder_id = $f AND uid = $u"))
            {
                delete.Parameters.AddWithValue("$f", folderId);
                SqliteParameter u = delete.Parameters.Add("$u", SqliteType.Integer);
                deleteCached.Parameters.AddWithValue("$f", folderId);
                SqliteParameter cu = deleteCached.Parameters.Add("$u", SqliteType.Integer);
                foreach (uint uid in deletes)
                {
                    u.Value = (long)uid;
                    cu.Value = (long)uid;
                    delete.ExecuteNonQuery();
                    deleteCached.ExecuteNonQuery();
                }
            }

            if (deletes.Count > 0)
            {
                RecordExpungesLocked(folderId, highestModSeq, deletes, expungeHorizon);
            }

            if (cached is { Count: > 0 })
            {
                WriteCachedLocked(cached.SelectMany(c => Rows(folderId, c.Uid, c.Values)));
            }

            transaction.Commit();
        }
    }

    /// <summary>Every cached protocol datum of a folder, in one query (FETCH of 10,000 ENVELOPEs reads no file).</summary>
    public Dictionary<uint, byte[]?[]> LoadCached(long folderId)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            using SqliteCommand select = Command("SELECT uid, field, value FROM cached WHERE folder_id = $f");
            select.Parameters.AddWithValue("$f", folderId);
            using SqliteDataReader reader = select.ExecuteReader();
            var cached = new Dictionary<uint, byte[]?[]>();
            while (reader.Read())
            {
                uint uid = (uint)reader.GetInt64(0);
                int field = reader.GetInt32(1);
                if (field is < 0 or >= CachedFields.Count)
                {
                    continue;
                }

                if (!cached.TryGetValue(uid, out byte[]?[]? values))
                {
                    values = new byte[]?[CachedFields.Count];
                    cached[uid] = values;
                }

                values[field] = (byte[])reader.GetValue(2);
            }

            return cached;
        }
    }

    public void SetCached(long folderId, uint uid, CachedField field, byte[] value)
    {
        lock (_gate)
        {
            _pendingCached.Add((folderId, uid, field, value));
            if (_pendingCached.Count >= CachedWriteBatch)
            {
                WritePendingCachedLocked();
            }
        }
    }

    /// <summary>
    /// Queues the entries of many messages at once (a first access indexing a Maildir another program filled) to be
    /// written by a pool thread right after the caller's reply, instead of in the caller's transaction: the folder keeps
    /// them in memory, so nobody waits for them. Like <see cref="SetCached"/>'s batches, they are written before any
    /// other use of the database and at Dispose, and a crash loses only cache rows, computed again when asked for.
    /// </summary>
    public void SetCachedSoon(long folderId, IReadOnlyList<(uint Uid, byte[]?[] Values)> cached)
    {
        lock (_gate)
        {
            foreach ((uint uid, byte[]?[] values) in cached)
            {
                _pendingCached.AddRange(Rows(folderId, uid, values));
            }

            if (!_flushQueued && _pendingCached.Count > 0)
            {
                _flushQueued = true;
                ThreadPool.UnsafeQueueUserWorkItem(static index => index.WritePendingCached(), this, preferLocal: false);
            }
        }
    }

    private void WritePendingCached()
    {
        lock (_gate)
        {
            _flushQueued = false;
            if (_disposed)
            {
                return;
            }

            try
            {
                WritePendingCachedLocked();
            }
            catch (SqliteException ex)
            {
                // Only cache rows: the fields are computed again when a client asks for them.
                MailboxLog.CachedWriteFailed(_logger, _path, ex);
            }
        }
    }

    private void WritePendingCachedLocked()
    {
        if (_pendingCached.Count == 0)
        {
            return;
        }

        // Taken off the list first: a failing write (a corrupt file, then Reset) is not retried forever.
        (long FolderId, uint Uid, CachedField Field, byte[] Value)[] rows = [.. _pendingCached];
        _pendingCached.Clear();
        using SqliteTransaction transaction = _connection.BeginTransaction();
        WriteCachedLocked(rows);
        transaction.Commit();
    }

    /// <summary>Upserts cached rows within the caller's transaction, with one prepared statement.</summary>
    private void WriteCachedLocked(IEnumerable<(long FolderId, uint Uid, CachedField Field, byte[] Value)> rows)
    {
        using SqliteCommand upsert = Command("INSERT OR REPLACE INTO cached (folder_id, uid, field, value) VALUES ($f, $u, $k, $v)");
        SqliteParameter f = upsert.Parameters.Add("$f", SqliteType.Integer);
        SqliteParameter u = upsert.Parameters.Add("$u", SqliteType.Integer);
        SqliteParameter k = upsert.Parameters.Add("$k", SqliteType.Integer);
        SqliteParameter v = upsert.Parameters.Add("$v", SqliteType.Blob);
        foreach ((long folderId, uint uid, CachedField field, byte[] value) in rows)
        {
            f.Value = folderId;
            u.Value = (long)uid;
            k.Value = (int)field;
            v.Value = value;
            upsert.ExecuteNonQuery();
        }
    }

    private static IEnumerable<(long FolderId, uint Uid, CachedField Field, byte[] Value)> Rows(long folderId, uint uid, byte[]?[] values)
    {
        for (int field = 0; field < values.Length; field++)
        {
            if (values[field] is { } value)
            {
                yield return (folderId, uid, (CachedField)field, value);
            }
        }
    }

    /// <summary>Renames a folder's row and its children's (RENAME moves the uidlists with the directories).</summary>
    public void RenameFolder(string from, string to)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            using SqliteTransaction transaction = _connection.BeginTransaction();
            using (SqliteCommand clear = Command("DELETE FROM folder WHERE name = $to OR substr(name, 1, $tl) = $tp"))
            {
                // Stale rows of deleted folders that had the new names: their uidlists are gone, so are they.
                clear.Parameters.AddWithValue("$to", to);
                clear.Parameters.AddWithValue("$tl", to.Length + 1);
                clear.Parameters.AddWithValue("$tp", to + FolderNames.Delimiter);
                clear.ExecuteNonQuery();
            }

            using (SqliteCommand rename = Command(
                "UPDATE folder SET name = $to || substr(name, $fl + 1) WHERE name = $from OR substr(name, 1, $fl + 1) = $fp"))
            {
                rename.Parameters.AddWithValue("$to", to);
                rename.Parameters.AddWithValue("$from", from);
                rename.Parameters.AddWithValue("$fl", from.Length);
                rename.Parameters.AddWithValue("$fp", from + FolderNames.Delimiter);
                rename.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public void DeleteFolder(string name)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            using SqliteCommand select = Command("SELECT id FROM folder WHERE name = $name");
            select.Parameters.AddWithValue("$name", name);
            if (select.ExecuteScalar() is long id)
            {
                DeleteFolderRows(id);
            }
        }
    }

    private IndexedFolder? FindFolderLocked(string name)
    {
        using SqliteCommand select = Command(
            "SELECT id, uidvalidity, highest_modseq, recent_uid, new_mtime, cur_mtime, uidlist_length, uidlist_mtime, uid_next " +
            "FROM folder WHERE name = $name");
        select.Parameters.AddWithValue("$name", name);
        using SqliteDataReader reader = select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var synced = new FolderSyncState(
            reader.GetInt64(4), reader.GetInt64(5), new FileStamp(reader.GetInt64(6), reader.GetInt64(7)), (uint)reader.GetInt64(8));
        return new IndexedFolder(
            reader.GetInt64(0), (uint)reader.GetInt64(1), (ulong)reader.GetInt64(2), (uint)reader.GetInt64(3), Existed: true, synced);
    }

    private void DeleteFolderRows(long id)
    {
        foreach (string sql in (ReadOnlySpan<string>)[
            "DELETE FROM cached WHERE folder_id = $f", "DELETE FROM message WHERE folder_id = $f",
            "DELETE FROM expunged WHERE folder_id = $f", "DELETE FROM expunge_horizon WHERE folder_id = $f", "DELETE FROM folder WHERE id = $f"])
        {
            using SqliteCommand delete = Command(sql);
            delete.Parameters.AddWithValue("$f", id);
            delete.ExecuteNonQuery();
        }
    }

    private SqliteCommand Command(string sql)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static SqliteConnection Connect(string path, ILogger logger)
    {
        try
        {
            return ConnectOnce(path);
        }
        catch (SqliteException ex) when (IsFileSystemFull(path))
        {
            // Not a torn file: SQLite cannot create its WAL and shared memory on a full disk and says "disk I/O
            // error". Rebuilding would throw away the modseqs, cached entries and expunge memory for nothing.
            throw new IndexStorageFullException($"No space left on device to open {path}", ex);
        }
        catch (SqliteException ex)
        {
            // Garbage or a torn file: it is only a cache; start it again (the uidlists keep the UIDs).
            MailboxLog.IndexRebuilt(logger, path, ex);
            DeleteFiles(path);
            return ConnectOnce(path);
        }
    }

    // Less than this free next to the index is a full disk for SQLite, whose WAL and shared memory grow in 32 KiB steps.
    private const long MinimumFreeBytes = 1024 * 1024;

    private static bool IsFileSystemFull(string path)
    {
        try
        {
            return new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(path))!).AvailableFreeSpace < MinimumFreeBytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    private static SqliteConnection ConnectOnce(string path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using SqliteCommand setup = connection.CreateCommand();
            // WAL with synchronous=NORMAL: a commit appends to the WAL without an fsync (only checkpoints sync), so the
            // batches above cost no disk flush, and a power loss can only roll back the last commits, never tear the
            // file. Not synchronous=OFF: keywords, modseqs and the expunge memory live only here, and a torn file is
            // rebuilt without them; the truth the cache is rebuilt from (files, fsynced uidlist) is durable elsewhere.
            setup.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS schema (version INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS folder (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                    uidvalidity INTEGER NOT NULL, highest_modseq INTEGER NOT NULL, recent_uid INTEGER NOT NULL,
                    new_mtime INTEGER NOT NULL DEFAULT 0, cur_mtime INTEGER NOT NULL DEFAULT 0, uidlist_length INTEGER NOT NULL DEFAULT 0,
                    uidlist_mtime INTEGER NOT NULL DEFAULT 0, uid_next INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE IF NOT EXISTS message (folder_id INTEGER NOT NULL, uid INTEGER NOT NULL, base TEXT NOT NULL,
                    size INTEGER NOT NULL, internal_date INTEGER NOT NULL, zone INTEGER NOT NULL, flags INTEGER NOT NULL,
                    keywords TEXT NOT NULL, modseq INTEGER NOT NULL, PRIMARY KEY (folder_id, uid)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS cached (folder_id INTEGER NOT NULL, uid INTEGER NOT NULL, field INTEGER NOT NULL,
                    value BLOB NOT NULL, PRIMARY KEY (folder_id, uid, field));
                CREATE TABLE IF NOT EXISTS delivered (folder TEXT NOT NULL, base TEXT NOT NULL, field INTEGER NOT NULL,
                    value BLOB NOT NULL, created INTEGER NOT NULL, PRIMARY KEY (folder, base, field)) WITHOUT ROWID;
                INSERT INTO schema (version) SELECT {SchemaVersion} WHERE NOT EXISTS (SELECT 1 FROM schema);
                {ExpungeTables}
                """);
            setup.ExecuteNonQuery();
            setup.CommandText = "SELECT version FROM schema";
            object? version = setup.ExecuteScalar();
            if (version is not long number || number != SchemaVersion)
            {
                throw new SqliteException($"index schema version {version} is not {SchemaVersion}", 1);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void DeleteFiles(string path)
    {
        foreach (string suffix in (ReadOnlySpan<string>)["", "-wal", "-shm", "-journal"])
        {
            File.Delete(path + suffix);
        }
    }
}
