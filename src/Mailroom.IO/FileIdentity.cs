using System.Runtime.InteropServices;

namespace Mailroom.IO;

/// <summary>
/// Which file a path names (device and inode, from statx(2)): a descriptor kept open across uses still reads the file
/// the path named when it was opened, so comparing identities tells whether another program has since removed or
/// replaced it. Linux only.
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    // STATX_INO: the inode number; the device numbers are always filled in.
    private const uint StatxInode = 0x100;

    /// <summary>The identity of the file at <paramref name="path"/>; null when it cannot be looked at (gone, no access).</summary>
    public static FileIdentity? Of(string path)
    {
        Span<byte> buffer = stackalloc byte[LibC.StatxSize];
        int rc = LibC.Statx(LibC.AtFdCwd, path, 0, StatxInode, buffer);
        if (rc < 0)
        {
            return null;
        }

        // struct statx: stx_ino at byte 32, stx_dev_major at 136, stx_dev_minor at 140 (the same on every architecture).
        ulong inode = MemoryMarshal.Read<ulong>(buffer[32..]);
        uint major = MemoryMarshal.Read<uint>(buffer[136..]);
        uint minor = MemoryMarshal.Read<uint>(buffer[140..]);
        return new FileIdentity(((ulong)major << 32) | minor, inode);
    }
}
