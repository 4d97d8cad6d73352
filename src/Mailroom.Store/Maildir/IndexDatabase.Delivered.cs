using System.Text.Json;
using Mailroom.Store.Mailboxes;
using Microsoft.Data.Sqlite;

namespace Mailroom.Store.Maildir;

/// <summary>
/// Index entries of delivered messages that have no UID yet. A delivery renames its file into <c>new/</c> and leaves
/// the UID to the next reader (the Maildir protocol), so what it computed while writing the message is kept by folder
/// and base name until the reader that gives the UID takes it into the folder's cache.
/// </summary>
internal sealed partial class IndexDatabase
{
    /// <summary>Rows of deliveries that never became visible (a crash between this write and the rename) live this long.</summary>
    private static readonly TimeSpan DeliveredRowLifetime = TimeSpan.FromDays(7);

    /// <summary>Keeps the entries of messages about to be renamed into <paramref name="folder"/>, in one transaction.</summary>
    public void SaveDelivered(string folder, IReadOnlyList<(string BaseName, byte[]?[] Values)> entries, DateTimeOffset now)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            using SqliteTransaction transaction = _connection.BeginTransaction();
            using SqliteCommand insert = Command(
                "INSERT OR REPLACE INTO delivered (folder, base, field, value, created) VALUES ($folder, $b, $k, $v, $c)");
            insert.Parameters.AddWithValue("$folder", folder);
            insert.Parameters.AddWithValue("$c", now.ToUnixTimeSeconds());
            SqliteParameter b = insert.Parameters.Add("$b", SqliteType.Text);
            SqliteParameter k = insert.Parameters.Add("$k", SqliteType.Integer);
            SqliteParameter v = insert.Parameters.Add("$v", SqliteType.Blob);
            foreach ((string baseName, byte[]?[] values) in entries)
            {
                for (int field = 0; field < values.Length; field++)
                {
                    if (values[field] is { } value)
                    {
                        b.Value = baseName;
                        k.Value = field;
                        v.Value = value;
                        insert.ExecuteNonQuery();
                    }
                }
            }

            transaction.Commit();
        }
    }

    /// <summary>
    /// Takes (reads and removes) the delivered entries of <paramref name="baseNames"/> in <paramref name="folder"/>, and
    /// drops entries older than <see cref="DeliveredRowLifetime"/> whose message never appeared. All in one transaction
    /// of one select and one delete.
    /// </summary>
    public Dictionary<string, byte[]?[]> TakeDelivered(string folder, IReadOnlyCollection<string> baseNames, DateTimeOffset now)
    {
        lock (_gate)
        {
            WritePendingCachedLocked();
            var taken = new Dictionary<string, byte[]?[]>(StringComparer.Ordinal);
            var wanted = baseNames as IReadOnlySet<string> ?? new HashSet<string>(baseNames, StringComparer.Ordinal);
            bool skipped = false;
            using SqliteTransaction transaction = _connection.BeginTransaction();

            // One pass over the folder's rows (only messages still without a UID have any), not one query per message.
            using (SqliteCommand select = Command("SELECT base, field, value FROM delivered WHERE folder = $folder"))
            {
                select.Parameters.AddWithValue("$folder", folder);
                using SqliteDataReader reader = select.ExecuteReader();
                while (reader.Read())
                {
                    string baseName = reader.GetString(0);
                    int field = reader.GetInt32(1);
                    if (field is < 0 or >= CachedFields.Count || !wanted.Contains(baseName))
                    {
                        skipped = true;
                        continue;
                    }

                    if (!taken.TryGetValue(baseName, out byte[]?[]? values))
                    {
                        values = new byte[]?[CachedFields.Count];
                        taken[baseName] = values;
                    }

                    values[field] = (byte[])reader.GetValue(2);
                }
            }

            // One statement, not one per message: the usual reader takes every waiting entry of the folder (a first
            // EXAMINE of 10,000 deliveries spent most of its index time in 10,000 separate deletes).
            using (SqliteCommand delete = Command(skipped
                ? "DELETE FROM delivered WHERE folder = $folder AND (created < $cutoff OR base IN (SELECT value FROM json_each($bases)))"
                : "DELETE FROM delivered WHERE folder = $folder"))
            {
                delete.Parameters.AddWithValue("$folder", folder);
                if (skipped)
                {
                    delete.Parameters.AddWithValue("$cutoff", (now - DeliveredRowLifetime).ToUnixTimeSeconds());
                    delete.Parameters.AddWithValue("$bases", JsonSerializer.Serialize(taken.Keys));
                }

                delete.ExecuteNonQuery();
            }

            transaction.Commit();
            return taken;
        }
    }
}
