using System.Runtime.InteropServices;

namespace Mailroom.Hosting.Privileges;

/// <summary>
/// Becomes the service user for good: supplementary groups first (while setgroups is still allowed), then the group,
/// then the user — each of real, effective and saved ids, so there is no way back. Then checks it: the ids are the
/// user's and setuid(0) fails. Anything else stops start-up.
/// </summary>
internal static class PrivilegeDrop
{
    /// <exception cref="PrivilegeException">A call failed or the process could still become root.</exception>
    public static void To(ServiceAccount account)
    {
        uint[] groups = [.. account.Groups];
        Check(LibC.SetGroups((nuint)groups.Length, groups), $"setgroups({string.Join(',', groups)})");
        Check(LibC.SetGid(account.Gid), $"setgid({account.Gid})");
        Check(LibC.SetUid(account.Uid), $"setuid({account.Uid})");
        Verify(account);
    }

    /// <summary>The credentials now, as <c>uid=… gid=… groups=…</c>.</summary>
    public static string Describe()
    {
        int count = LibC.GetGroups(0, null);
        var groups = new uint[Math.Max(count, 0)];
        count = LibC.GetGroups(groups.Length, groups);
        return $"uid={LibC.GetUid()} euid={LibC.GetEUid()} gid={LibC.GetGid()} egid={LibC.GetEGid()} groups={string.Join(',', groups.Take(Math.Max(count, 0)))}";
    }

    private static void Verify(ServiceAccount account)
    {
        if (LibC.GetUid() != account.Uid || LibC.GetEUid() != account.Uid || LibC.GetGid() != account.Gid || LibC.GetEGid() != account.Gid)
        {
            throw new PrivilegeException($"the switch to user {account.Name} did not take: {Describe()}");
        }

        if (account.Uid != 0 && LibC.SetUid(0) == 0)
        {
            throw new PrivilegeException($"the switch to user {account.Name} can be undone (setuid(0) succeeded); refusing to serve");
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new PrivilegeException($"{call} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
