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

        int fd = OpenDirectory(path);
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

    /// <summary>
    /// The identity of the file system holding <paramref name="path"/> (its device number, from statx(2)): two paths
    /// with the same one are flushed by the same syncfs. Linux only.
    /// </summary>
    /// <exception cref="IOException">The path could not be looked at.</exception>
    public static ulong GetFileSystemId(string path)
    {
        Span<byte> buffer = stackalloc byte[LibC.StatxSize];
        int rc = LibC.Statx(LibC.AtFdCwd, path, 0, LibC.StatxType, buffer);
        if (rc < 0)
        {
            throw new IOException($"cannot statx {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        // struct statx: stx_dev_major at byte 136, stx_dev_minor at 140 (the same layout on every architecture).
        uint major = MemoryMarshal.Read<uint>(buffer[136..]);
        uint minor = MemoryMarshal.Read<uint>(buffer[140..]);
        return ((ulong)major << 32) | minor;
    }

    /// <summary>Opens a directory read-only (close-on-exec) for fsync or syncfs; the caller closes the descriptor.</summary>
    /// <exception cref="IOException">The directory could not be opened.</exception>
    internal static int OpenDirectory(string path)
    {
        int fd = LibC.Open(path, LibC.ORdOnly | LibC.ODirectory | LibC.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return fd;
    }
}
