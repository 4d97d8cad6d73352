using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mailroom.Directory.Sql;

/// <summary>
/// Idle lookup sessions kept open between lookups, each with its statements prepared once on its connection, for a
/// database whose driver would otherwise drop them (SQLite closes its statements with the command; MySqlConnector
/// resets a pooled connection, which deallocates server-side statements). At most as many as lookups ever ran at
/// once, like a driver's own pool. A session idle longer than <see cref="MaxIdle"/> is closed instead of reused,
/// below any server's idle-connection timeout (MySQL's <c>wait_timeout</c>), so a kept connection is rarely one the
/// server has already dropped; <see cref="SqlMailDirectory"/> retries a lookup once on a fresh connection when a
/// kept one turns out to be dead anyway.
/// </summary>
internal sealed class KeptLookupSessions : IDisposable
{
    /// <summary>How long a session may sit idle and still be reused.</summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(60);

    private readonly ConcurrentBag<(LookupSession Session, long IdleSince)> _idle = [];

    /// <summary>An idle session still fresh enough to reuse, or null; stale ones met on the way are closed.</summary>
    public LookupSession? TryTake()
    {
        while (_idle.TryTake(out (LookupSession Session, long IdleSince) kept))
        {
            if (Stopwatch.GetElapsedTime(kept.IdleSince) <= MaxIdle)
            {
                kept.Session.Reused = true;
                return kept.Session;
            }

            kept.Session.Dispose();
        }

        return null;
    }

    /// <summary>Keeps a session whose lookup succeeded, for the next lookup.</summary>
    public void Return(LookupSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _idle.Add((session, Stopwatch.GetTimestamp()));
    }

    /// <summary>Closes every idle session (after a failure, at shutdown): the next lookup opens a new connection.</summary>
    public void Clear()
    {
        while (_idle.TryTake(out (LookupSession Session, long IdleSince) kept))
        {
            kept.Session.Dispose();
        }
    }

    /// <summary>Idle sessions kept (for tests and diagnostics).</summary>
    public int Count => _idle.Count;

    /// <summary>Statements prepared on the idle sessions' connections (for tests and diagnostics).</summary>
    public int PreparedStatementCount => _idle.Sum(kept => kept.Session.PreparedCount);

    public void Dispose() => Clear();
}
