using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.IO;

/// <summary>
/// Opens a file for reading only if it is a regular file. A plain open(2) of a FIFO blocks until a writer comes, and a
/// character device may never end, so a FIFO or device left among the mail files (or a symbolic link to one) would hang
/// the thread that lists or reads a folder, or stream without end. Opened with O_NONBLOCK (no effect on a regular file's
/// reads), then checked with statx(2) on the descriptor. Linux only.
/// </summary>
public static class RegularFile
{
    // O_NONBLOCK is 04000 on every Linux architecture .NET runs on.
    private const int ONonBlock = 0x800;

    // AT_EMPTY_PATH: statx(2) looks at the descriptor itself.
    private const int AtEmptyPath = 0x1000;

    private const int ENoEnt = 2;
    private const int EAccess = 13;
    private const int EPerm = 1;
    private const int ENotDir = 20;
    private const ushort FileTypeMask = 0xF000; // S_IFMT
    private const ushort RegularFileType = 0x8000; // S_IFREG

    /// <summary>A read-only handle to the regular file at <paramref name="path"/>, following symbolic links.</summary>
    /// <exception cref="FileNotFoundException">Nothing is at the path.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of the path is missing.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="IOException">It is not a regular file, or cannot be opened.</exception>
    public static SafeFileHandle OpenRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int fd = LibC.Open(path, LibC.ORdOnly | LibC.OCloExec | ONonBlock);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string message = $"Cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
            throw errno switch
            {
                ENoEnt => new FileNotFoundException(message, path),
                ENotDir => new DirectoryNotFoundException(message),
                EAccess or EPerm => new UnauthorizedAccessException(message),
                _ => new IOException(message, errno),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            ushort type = TypeOf(fd, path);
            if ((type & FileTypeMask) != RegularFileType)
            {
                throw new IOException($"{path} is not a regular file.");
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static ushort TypeOf(int fd, string path)
    {
        Span<byte> buffer = stackalloc byte[LibC.StatxSize];
        int rc = LibC.Statx(fd, "", AtEmptyPath, LibC.StatxType, buffer);
        if (rc < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot look at {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        // struct statx: stx_mode at byte 28 (the same on every architecture).
        return MemoryMarshal.Read<ushort>(buffer[28..]);
    }
}
