using System.Runtime.InteropServices;

namespace Mailroom.Hosting.Privileges;

/// <summary>A user from the system's user database (files, LDAP, … through NSS), with the groups it belongs to.</summary>
internal sealed record ServiceAccount(string Name, uint Uid, uint Gid, string Home, IReadOnlyList<uint> Groups)
{
    private const int BufferSize = 16 * 1024;
    private const int MaxGroups = 1024;

    /// <summary>The user of that name, or null when there is none.</summary>
    /// <exception cref="PrivilegeException">The user database could not be read.</exception>
    public static ServiceAccount? Find(string name)
    {
        var buffer = new byte[BufferSize];
        int error = LibC.GetPwNam(name, out LibC.Passwd entry, buffer, (nuint)buffer.Length, out nint result);
        return Complete(error, entry, result, $"user {name}");
    }

    /// <summary>The user with that uid, or null when there is none.</summary>
    /// <exception cref="PrivilegeException">The user database could not be read.</exception>
    public static ServiceAccount? Find(uint uid)
    {
        var buffer = new byte[BufferSize];
        int error = LibC.GetPwUid(uid, out LibC.Passwd entry, buffer, (nuint)buffer.Length, out nint result);
        return Complete(error, entry, result, $"uid {uid}");
    }

    /// <summary>True when this account may search (pass through) a directory with that owner, group and mode.</summary>
    public bool CanSearch(FileOwnership directory) => Allows(directory, 1);

    /// <summary>True when this account may read a file with that owner, group and mode.</summary>
    public bool CanRead(FileOwnership file) => Allows(file, 4);

    // The owner's bits, else the group's, else the others' (POSIX: the first class that matches decides).
    private bool Allows(FileOwnership file, int permission)
    {
        if (Uid == 0)
        {
            return true;
        }

        int bits = file.Uid == Uid ? file.Mode >> 6
            : Groups.Contains(file.Gid) ? file.Mode >> 3
            : file.Mode;
        return (bits & permission) != 0;
    }

    private static ServiceAccount? Complete(int error, LibC.Passwd entry, nint result, string what)
    {
        if (error != 0)
        {
            throw new PrivilegeException($"cannot look up {what} in the user database: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        if (result == 0)
        {
            return null;
        }

        string name = Marshal.PtrToStringUTF8(entry.Name) ?? "";
        string home = Marshal.PtrToStringUTF8(entry.Home) ?? "/";
        return new ServiceAccount(name, entry.Uid, entry.Gid, home, GroupsOf(name, entry.Gid));
    }

    /// <summary>The primary group and every supplementary group the user is a member of (initgroups' list).</summary>
    private static uint[] GroupsOf(string name, uint primary)
    {
        var groups = new uint[MaxGroups];
        int count = groups.Length;
        if (LibC.GetGroupList(name, primary, groups, ref count) < 0)
        {
            throw new PrivilegeException($"user {name} is in more than {MaxGroups} groups");
        }

        return groups[..count];
    }
}
