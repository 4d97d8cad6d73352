using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting.Privileges;

/// <summary>
/// The service user must be able to pass through every directory above its data: a clone in /root (0700) or in a
/// home directory made private (Debian 12's adduser default) would otherwise be out of its reach after the drop.
/// SQLite resolves every path to its canonical form, so no trick with an open directory descriptor can stand in
/// for a reachable path. Such a directory gets one POSIX ACL entry, <c>user:&lt;service&gt;:--x</c>: search only,
/// no listing and no reading, the least that works, as admins do by hand (<c>setfacl -m u:mailroom:x /root</c>) —
/// and the grant is logged. A file system without ACLs stops start-up with the choices.
/// </summary>
internal static class SearchPermission
{
    private const string AccessAclName = "system.posix_acl_access";
    private const int AclVersion = 2;
    private const ushort UserObject = 0x01;
    private const ushort NamedUser = 0x02;
    private const ushort GroupObject = 0x04;
    private const ushort NamedGroup = 0x08;
    private const ushort Mask = 0x10;
    private const ushort Other = 0x20;
    private const ushort Search = 1;
    private const uint UndefinedId = uint.MaxValue;

    /// <summary>Grants search on each directory above <paramref name="path"/> that the account cannot pass through.</summary>
    /// <exception cref="PrivilegeException">A directory cannot be made passable.</exception>
    public static void EnsureReachable(string path, ServiceAccount account, ILogger logger)
    {
        string full = Path.GetFullPath(path);
        for (string? directory = Path.GetDirectoryName(full); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (FileOwnership.Of(directory) is not { IsDirectory: true } status || CanPass(directory, status, account))
            {
                continue;
            }

            try
            {
                Grant(directory, status, account);
            }
            catch (IOException ex)
            {
                throw new PrivilegeException(
                    $"user {account.Name} cannot reach {full}: {directory} does not let it through and cannot be given an ACL ({ex.Message}); " +
                    $"move the data (--data /var/lib/mailroom), run setfacl -m u:{account.Name}:x {directory}, or set Server:User=root", ex);
            }

            PrivilegeLog.SearchGranted(logger, directory, account.Name, full);
        }
    }

    /// <summary>POSIX.1e access check for search: owner, then a named user, then the groups, then others.</summary>
    private static bool CanPass(string directory, FileOwnership status, ServiceAccount account)
    {
        if (Read(directory) is not { } acl)
        {
            return account.CanSearch(status);
        }

        if (account.Uid == 0 || status.Uid == account.Uid)
        {
            return account.Uid == 0 || ((status.Permissions >> 6) & Search) != 0;
        }

        ushort mask = acl.Where(e => e.Tag == Mask).Select(e => e.Perm).DefaultIfEmpty((ushort)7).First();
        if (acl.FirstOrDefault(e => e.Tag == NamedUser && e.Id == account.Uid) is { Tag: NamedUser } named)
        {
            return (named.Perm & mask & Search) != 0;
        }

        var groups = acl.Where(e => e.Tag == GroupObject && account.Groups.Contains(status.Gid) || e.Tag == NamedGroup && account.Groups.Contains(e.Id)).ToList();
        return groups.Count > 0
            ? groups.Any(e => (e.Perm & mask & Search) != 0)
            : acl.Any(e => e.Tag == Other && (e.Perm & Search) != 0);
    }

    private static void Grant(string directory, FileOwnership status, ServiceAccount account)
    {
        List<(ushort Tag, ushort Perm, uint Id)> entries = Read(directory) ?? FromMode(status.Permissions);
        int user = entries.FindIndex(e => e.Tag == NamedUser && e.Id == account.Uid);
        if (user >= 0)
        {
            entries[user] = entries[user] with { Perm = (ushort)(entries[user].Perm | Search) };
        }
        else
        {
            entries.Add((NamedUser, Search, account.Uid));
        }

        int mask = entries.FindIndex(e => e.Tag == Mask);
        if (mask >= 0)
        {
            entries[mask] = entries[mask] with { Perm = (ushort)(entries[mask].Perm | Search) };
        }
        else
        {
            ushort group = entries.First(e => e.Tag == GroupObject).Perm;
            entries.Add((Mask, (ushort)(group | Search), UndefinedId));
        }

        // The kernel wants the entries ordered by tag, named ones by id.
        entries.Sort((a, b) => a.Tag != b.Tag ? a.Tag.CompareTo(b.Tag) : a.Id.CompareTo(b.Id));
        var value = new byte[4 + (8 * entries.Count)];
        BinaryPrimitives.WriteUInt32LittleEndian(value, AclVersion);
        for (int i = 0; i < entries.Count; i++)
        {
            Span<byte> entry = value.AsSpan(4 + (8 * i), 8);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[i].Perm);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], entries[i].Id);
        }

        if (LibC.SetXattr(directory, AccessAclName, value, (nuint)value.Length, 0) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
        }
    }

    /// <summary>The directory's access ACL, or null when it has none beyond its mode bits.</summary>
    private static List<(ushort Tag, ushort Perm, uint Id)>? Read(string directory)
    {
        var value = new byte[4 + (8 * 64)];
        nint length = LibC.GetXattr(directory, AccessAclName, value, (nuint)value.Length);
        if (length < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is LibC.ENoData or LibC.ENotSup ? null : throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
        }

        var entries = new List<(ushort, ushort, uint)>();
        for (int offset = 4; offset + 8 <= length; offset += 8)
        {
            ReadOnlySpan<byte> entry = value.AsSpan(offset, 8);
            entries.Add((BinaryPrimitives.ReadUInt16LittleEndian(entry), BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]), BinaryPrimitives.ReadUInt32LittleEndian(entry[4..])));
        }

        return entries;
    }

    private static List<(ushort Tag, ushort Perm, uint Id)> FromMode(int mode) =>
    [
        (UserObject, (ushort)((mode >> 6) & 7), UndefinedId),
        (GroupObject, (ushort)((mode >> 3) & 7), UndefinedId),
        (Other, (ushort)(mode & 7), UndefinedId),
    ];
}
