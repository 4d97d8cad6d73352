using Mailroom.IO;

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
        FileStream? file = null;
        try
        {
            // An explicit flock(): the server runs with .NET's implicit FileShare locking switched off.
            file = new FileStream(directories.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            if (ExclusiveFileLock.TryAcquire(file.SafeFileHandle))
            {
                FileStream held = file;
                file = null;
                return held;
            }

            return null;
        }
        catch (IOException)
        {
            return null;
        }
        finally
        {
            file?.Dispose();
        }
    }
}
