using Microsoft.Win32.SafeHandles;

namespace Mailroom.IO;

/// <summary>
/// An explicit, non-blocking exclusive flock(2) on an open file. The server turns off .NET's implicit locking of
/// every opened file (a flock pair per message read by POP3 and IMAP, for nothing), so the few locks that exclude
/// another process are taken here. The kernel drops the lock when the file is closed or its process dies.
/// </summary>
public static class ExclusiveFileLock
{
    /// <summary>True when the lock was taken; false when another open file description holds it.</summary>
    /// <exception cref="IOException">flock failed for another reason than the lock being held.</exception>
    public static bool TryAcquire(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            while (true)
            {
                if (LibC.Flock((int)handle.DangerousGetHandle(), LibC.LockExclusive | LibC.LockNonBlocking) == 0)
                {
                    return true;
                }

                int error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (error == LibC.EIntr)
                {
                    continue;
                }

                // EWOULDBLOCK (EAGAIN): somebody else holds it.
                if (error == 11)
                {
                    return false;
                }

                throw new IOException($"flock failed with errno {error}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
