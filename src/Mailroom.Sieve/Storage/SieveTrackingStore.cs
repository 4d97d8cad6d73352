using Mailroom.Sieve.Runtime;
using Mailroom.Store.Maildir;
using Microsoft.Data.Sqlite;

namespace Mailroom.Sieve.Storage;

/// <summary>
/// What Sieve remembers per user across deliveries and restarts (Pigeonhole's <c>.dovecot.lda-dupes</c>): vacation
/// replies sent, duplicate ids seen, redirects done, each as a hashed key with an expiry, in
/// <c>&lt;maildir&gt;/mailroom-sieve.db</c> (SQLite). Expired rows are removed when new ones are written.
/// </summary>
public sealed class SieveTrackingStore
{
    public const string FileName = "mailroom-sieve.db";

    private readonly MaildirStore _maildirs;
    private readonly TimeProvider _time;

    public SieveTrackingStore(MaildirStore maildirs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(maildirs);
        ArgumentNullException.ThrowIfNull(time);
        _maildirs = maildirs;
        _time = time;
    }

    /// <summary>True when the key was marked and has not expired.</summary>
    /// <exception cref="SqliteException">The database cannot be read (the caller defers the delivery).</exception>
    public bool IsTracked(string user, string key)
    {
        string path = PathOf(user);
        if (!File.Exists(path))
        {
            return false;
        }

        using SqliteConnection connection = Open(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM tracking WHERE key = $key AND expires > $now";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeSeconds());
        return command.ExecuteScalar() is not null;
    }

    /// <summary>Records the marks (a later expiry replaces an earlier one) and drops expired rows, in one transaction.</summary>
    public void Mark(string user, IReadOnlyList<TrackingMark> marks)
    {
        if (marks.Count == 0)
        {
            return;
        }

        string path = PathOf(user);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using SqliteConnection connection = Open(path);
        using SqliteTransaction transaction = connection.BeginTransaction();
        using (SqliteCommand prune = connection.CreateCommand())
        {
            prune.Transaction = transaction;
            prune.CommandText = "DELETE FROM tracking WHERE expires <= $now";
            prune.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeSeconds());
            prune.ExecuteNonQuery();
        }

        foreach (TrackingMark mark in marks)
        {
            using SqliteCommand insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO tracking (key, expires) VALUES ($key, $expires) ON CONFLICT(key) DO UPDATE SET expires = MAX(expires, excluded.expires)";
            insert.Parameters.AddWithValue("$key", mark.Key);
            insert.Parameters.AddWithValue("$expires", mark.Expires.ToUnixTimeSeconds());
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private string PathOf(string user) => Path.Combine(_maildirs.GetMaildirPath(user), FileName);

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 5 }.ToString());
        connection.Open();
        using SqliteCommand setup = connection.CreateCommand();
        // synchronous=FULL: a reply recorded is on disk before the message counts as delivered (no second reply after a crash).
        setup.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; CREATE TABLE IF NOT EXISTS tracking (key TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID";
        setup.ExecuteNonQuery();
        return connection;
    }
}
