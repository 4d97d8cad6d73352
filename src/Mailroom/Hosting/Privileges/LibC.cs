using System.Runtime.InteropServices;

namespace Mailroom.Hosting.Privileges;

/// <summary>
/// The POSIX calls the host needs and .NET does not expose: credentials (setgroups/setgid/setuid and their getters),
/// the umask, ownership (lchown), file status (statx, one layout on every architecture) and POSIX ACLs (xattrs).
/// One place per project: the store keeps its own few calls (fsync of a directory, flock) next to the code that uses
/// them, and neither project reaches into the other's internals.
/// </summary>
/// <remarks>
/// glibc's set*id wrappers change the credentials of every thread of the process (its "setxid" broadcast signals each
/// thread to make the same system call), so the .NET thread pool, the finalizer and the timer threads all run as the
/// service user afterwards; <see cref="PrivilegeDrop"/> checks the ids after the calls and the tests read every
/// thread's ids from /proc.
/// </remarks>
internal static partial class LibC
{
    public const int ENoData = 61;
    public const int ENotSup = 95;
    public const int ERange = 34;

    // statx(2): AT_SYMLINK_NOFOLLOW, and the mask bits for the fields read here.
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const uint StatxBasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "getuid")]
    public static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    public static partial uint GetGid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint GetEGid();

    [LibraryImport("libc", EntryPoint = "setuid", SetLastError = true)]
    public static partial int SetUid(uint uid);

    [LibraryImport("libc", EntryPoint = "setgid", SetLastError = true)]
    public static partial int SetGid(uint gid);

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    public static partial int SetGroups(nuint size, uint[] groups);

    [LibraryImport("libc", EntryPoint = "getgroups", SetLastError = true)]
    public static partial int GetGroups(int size, [Out] uint[]? groups);

    [LibraryImport("libc", EntryPoint = "getgrouplist", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetGroupList(string user, uint group, [Out] uint[] groups, ref int count);

    [LibraryImport("libc", EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LChown(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetPwNam(string name, out Passwd entry, byte[] buffer, nuint bufferSize, out nint result);

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    public static partial int GetPwUid(uint uid, out Passwd entry, byte[] buffer, nuint bufferSize, out nint result);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "getxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GetXattr(string path, string name, [Out] byte[]? value, nuint size);

    [LibraryImport("libc", EntryPoint = "setxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetXattr(string path, string name, byte[] value, nuint size, int flags);

    /// <summary>struct passwd (pwd.h): the same field order on every Linux ABI; pointers into the caller's buffer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Home;
        public nint Shell;
    }

    /// <summary>struct statx (linux/stat.h), fixed-size fields in one layout on every architecture; 256 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    public struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
    }
}
