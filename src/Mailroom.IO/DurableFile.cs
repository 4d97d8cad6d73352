using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.IO;

/// <summary>
/// fsync helpers. A file written and renamed is durable only once both the file's data and the directory
/// entry that names it reach the disk: fsync(2) on the file does not cover the rename, which lives in the
/// directory (the reason qmail, Postfix and Dovecot fsync the directory after rename on Linux).
/// </summary>
public static class DurableFile
{
    /// <summary>Flushes a file's data and metadata to the disk (fsync).</summary>
    public static void FlushFile(SafeFileHandle handle) => RandomAccess.FlushToDisk(handle);

    /// <summary>
    /// Flushes a directory (its entries: creations, renames) to the disk. On Windows NTFS journals
    /// metadata and directories cannot be opened for flushing, so this does nothing there.
    /// </summary>
    /// <exception cref="IOException">The directory could not be opened or flushed.</exception>
    public static void FlushDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd;
        do
        {
            fd = LibC.Open(path, LibC.ORdOnly | LibC.ODirectory | LibC.OCloExec);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == LibC.EIntr);

        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to fsync it: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            int rc;
            do
            {
                rc = LibC.FSync(fd);
            }
            while (rc < 0 && Marshal.GetLastPInvokeError() == LibC.EIntr);

            if (rc < 0)
            {
                throw new IOException($"cannot fsync directory {path}: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }
}
