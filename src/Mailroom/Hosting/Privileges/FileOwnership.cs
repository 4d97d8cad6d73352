using System.Runtime.InteropServices;

namespace Mailroom.Hosting.Privileges;

/// <summary>Owner, group and permission bits of a file, as lstat(2) sees them (a symbolic link is not followed).</summary>
internal readonly record struct FileOwnership(uint Uid, uint Gid, int Mode)
{
    private const int FileTypeMask = 0xF000;
    private const int DirectoryType = 0x4000;
    private const int SymbolicLinkType = 0xA000;

    public bool IsDirectory => (Mode & FileTypeMask) == DirectoryType;

    public bool IsSymbolicLink => (Mode & FileTypeMask) == SymbolicLinkType;

    /// <summary>The permission bits alone (rwx for owner, group, others, and setuid/setgid/sticky).</summary>
    public int Permissions => Mode & 0xFFF;

    /// <summary>The file's ownership, or null when it does not exist.</summary>
    /// <exception cref="IOException">It exists but cannot be examined.</exception>
    public static FileOwnership? Of(string path)
    {
        if (LibC.Statx(LibC.AtFdCwd, path, LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, out LibC.StatxBuffer status) == 0)
        {
            return new FileOwnership(status.Uid, status.Gid, status.Mode);
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno is 2 or 20 // ENOENT, ENOTDIR
            ? null
            : throw new IOException($"cannot examine {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
