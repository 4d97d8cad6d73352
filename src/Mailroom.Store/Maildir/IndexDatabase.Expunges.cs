using Microsoft.Data.Sqlite;

namespace Mailroom.Store.Maildir;

/// <summary>
/// The expunged UIDs of each folder with the mod-sequence they left at (RFC 7162 §3.2, for QRESYNC), so that a client
/// resynchronising after a restart or after the folder was unloaded still gets the exact VANISHED set. Rows are added
/// by <see cref="Apply"/> with the message rows they replace; the horizon is the highest mod-sequence at or below
/// which expunges may be missing (older rows trimmed, or history from before this table existed).
/// </summary>
internal sealed partial class IndexDatabase
{
    // Additive tables: an index written by an older build simply lacks them (CREATE IF NOT EXISTS), so the schema
    // version stays and no cache is rebuilt for them; a folder without a horizon row knows nothing before its load.
    private const string ExpungeTables = """
        CREATE TABLE IF NOT EXISTS expunged (folder_id INTEGER NOT NULL, modseq INTEGER NOT NULL, uid INTEGER NOT NULL,
            PRIMARY KEY (folder_id, modseq, uid)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS expunge_horizon (folder_id INTEGER PRIMARY KEY, forgotten INTEGER NOT NULL);
        """;

    /// <summary>
    /// The folder's remembered expunges ascending by mod-sequence, and its horizon; a folder without one gets
    /// <paramref name="defaultHorizon"/> (its mod-sequence at this load: nothing earlier is known).
    /// </summary>
    public (List<(ulong ModSeq, uint Uid)> Entries, ulong Horizon) LoadExpunged(long folderId, ulong defaultHorizon)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            using (SqliteCommand insert = Command("INSERT OR IGNORE INTO expunge_horizon (folder_id, forgotten) VALUES ($f, $h)"))
            {
                insert.Parameters.AddWithValue("$f", folderId);
                insert.Parameters.AddWithValue("$h", (long)defaultHorizon);
                insert.ExecuteNonQuery();
            }

            ulong horizon;
            using (SqliteCommand select = Command("SELECT forgotten FROM expunge_horizon WHERE folder_id = $f"))
            {
                select.Parameters.AddWithValue("$f", folderId);
                horizon = (ulong)(long)select.ExecuteScalar()!;
            }

            var entries = new List<(ulong ModSeq, uint Uid)>();
            using SqliteCommand rows = Command("SELECT modseq, uid FROM expunged WHERE folder_id = $f ORDER BY modseq, uid");
            rows.Parameters.AddWithValue("$f", folderId);
            using SqliteDataReader reader = rows.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(((ulong)reader.GetInt64(0), (uint)reader.GetInt64(1)));
            }

            return (entries, horizon);
        }
    }

    /// <summary>Within <see cref="Apply"/>'s transaction: the deleted UIDs went at <paramref name="modSeq"/>; rows at or below the horizon go.</summary>
    private void RecordExpungesLocked(long folderId, ulong modSeq, IReadOnlyList<uint> uids, ulong horizon)
    {
        using (SqliteCommand insert = Command("INSERT OR IGNORE INTO expunged (folder_id, modseq, uid) VALUES ($f, $m, $u)"))
        {
            insert.Parameters.AddWithValue("$f", folderId);
            insert.Parameters.AddWithValue("$m", (long)modSeq);
            SqliteParameter u = insert.Parameters.Add("$u", SqliteType.Integer);
            foreach (uint uid in uids)
            {
                u.Value = (long)uid;
                insert.ExecuteNonQuery();
            }
        }

        using (SqliteCommand trim = Command("DELETE FROM expunged WHERE folder_id = $f AND modseq <= $h"))
        {
            trim.Parameters.AddWithValue("$f", folderId);
            trim.Parameters.AddWithValue("$h", (long)horizon);
            trim.ExecuteNonQuery();
        }

        using SqliteCommand set = Command("INSERT OR REPLACE INTO expunge_horizon (folder_id, forgotten) VALUES ($f, $h)");
        set.Parameters.AddWithValue("$f", folderId);
        set.Parameters.AddWithValue("$h", (long)horizon);
        set.ExecuteNonQuery();
    }
}
