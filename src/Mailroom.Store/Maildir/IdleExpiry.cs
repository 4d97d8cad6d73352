namespace Mailroom.Store.Maildir;

/// <summary>
/// The one timer of a least-recently-used cache whose entries expire after a time without use (released folders, idle
/// index connections): due when the oldest entry expires, stopped when the cache is empty.
/// </summary>
internal static class IdleExpiry
{
    /// <param name="timer">The cache's timer.</param>
    /// <param name="time">The clock the entries' timestamps come from.</param>
    /// <param name="timeout">How long an entry lives without use.</param>
    /// <param name="oldestSince">When the oldest entry was kept (<see cref="TimeProvider.GetTimestamp"/>); null: none.</param>
    public static void Arm(ITimer timer, TimeProvider time, TimeSpan timeout, long? oldestSince)
    {
        if (oldestSince is not { } since)
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        TimeSpan due = timeout - time.GetElapsedTime(since);
        timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
