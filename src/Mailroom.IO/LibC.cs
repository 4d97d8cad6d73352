using System.Runtime.InteropServices;

namespace Mailroom.IO;

/// <summary>
/// The few POSIX calls .NET does not expose: it cannot open a directory to fsync it or make a hard link, and its own
/// flock() on every open is switched off in the server (System.IO.DisableFileLocking), so a lock that matters is taken
/// explicitly.
/// </summary>
internal static partial class LibC
{
    public const int ORdOnly = 0;

    // O_CLOEXEC is 02000000 on every Linux architecture .NET runs on.
    public const int OCloExec = 0x80000;

    public const int EIntr = 4;

    // O_DIRECTORY differs by architecture (asm-generic 0200000 on x86; 040000 on ARM). It is only a
    // safety check (fail if the path is not a directory), so other architectures go without it.
    public static int ODirectory => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x10000,
        Architecture.Arm or Architecture.Arm64 => 0x4000,
        _ => 0,
    };

    /// <summary>open(2), tried again when a signal interrupts it; -1 and the error in the last P/Invoke error.</summary>
    public static int Open(string path, int flags)
    {
        int fd;
        do
        {
            fd = OpenOnce(path, flags);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EIntr);

        return fd;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenOnce(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existingPath, string newPath);

    // flock(2) operations.
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    public static partial int SyncFs(int fd);

    public const int AtFdCwd = -100;

    // STATX_TYPE: the one field asked for; the device numbers are always filled in.
    public const uint StatxType = 0x1;

    // sizeof(struct statx), fixed by the kernel's ABI.
    public const int StatxSize = 256;

    /// <summary>statx(2), tried again when a signal interrupts it; -1 and the error in the last P/Invoke error.</summary>
    public static int Statx(int directoryFd, string path, int flags, uint mask, Span<byte> buffer)
    {
        int rc;
        do
        {
            rc = StatxOnce(directoryFd, path, flags, mask, buffer);
        }
        while (rc < 0 && Marshal.GetLastPInvokeError() == EIntr);

        return rc;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxOnce(int directoryFd, string path, int flags, uint mask, Span<byte> buffer);
}
