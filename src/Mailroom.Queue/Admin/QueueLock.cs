namespace Mailroom.Queue.Admin;

/// <summary>
/// The exclusive lock on <c>&lt;queue&gt;/lock</c>: held by the running queue manager for its lifetime and by
/// the CLI while it changes files of a stopped queue. The kernel releases it when its process dies, so a
/// crashed server never leaves the queue looking busy.
/// </summary>
internal static class QueueLock
{
    /// <summary>Takes the lock, or returns null when another process (or owner) holds it.</summary>
    public static FileStream? TryAcquire(QueueDirectories directories)
    {
        try
        {
            // FileShare.None is an exclusive flock() on Unix: it excludes other processes and other opens.
            return new FileStream(directories.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
