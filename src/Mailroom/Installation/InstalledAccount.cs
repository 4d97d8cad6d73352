using System.Globalization;
using Mailroom.Cli;
using Mailroom.Hosting.Privileges;

namespace Mailroom.Installation;

/// <summary>
/// The service user and group of an installation, created with <c>useradd --root</c> so that the same code fills the
/// system's <c>/etc/passwd</c> (with its locking and its choice of a free system uid) and a packager's or a test's
/// temporary root, whose <c>etc/passwd</c> and <c>etc/group</c> must exist.
/// </summary>
internal static class InstalledAccount
{
    /// <summary>The user's uid and gid in the root's user database, creating the user and its group when missing.</summary>
    /// <exception cref="CliException">useradd failed or is not installed.</exception>
    public static async Task<(uint Uid, uint Gid, bool Created)> EnsureAsync(InstallLayout layout, CancellationToken cancellationToken)
    {
        if (Find(layout) is { } existing)
        {
            return (existing.Uid, existing.Gid, false);
        }

        string useradd = SystemUserCreator.Find("useradd") ?? throw new CliException("useradd is not installed (apt-get install passwd)");
        (int exitCode, string error) = await SystemUserCreator.RunAsync(
            useradd,
            ["--root", layout.Root, "--system", "--user-group", "--no-create-home", "--home-dir", Configuration.InstalledPaths.DataDirectory,
             "--shell", "/usr/sbin/nologin", "--comment", "Mailroom mail server", layout.UserName],
            cancellationToken).ConfigureAwait(false);
        if (Find(layout) is not { } created)
        {
            throw new CliException($"cannot create the user {layout.UserName}: useradd exited with {exitCode}: {error.Trim()}");
        }

        return (created.Uid, created.Gid, true);
    }

    /// <summary>Removes the user and its group (<c>uninstall --purge</c>); nothing when there is none.</summary>
    /// <exception cref="CliException">userdel failed.</exception>
    public static async Task<bool> RemoveAsync(InstallLayout layout, CancellationToken cancellationToken)
    {
        if (Find(layout) is null)
        {
            return false;
        }

        string userdel = SystemUserCreator.Find("userdel") ?? throw new CliException("userdel is not installed (apt-get install passwd)");
        (int exitCode, string error) = await SystemUserCreator.RunAsync(userdel, ["--root", layout.Root, layout.UserName], cancellationToken).ConfigureAwait(false);
        if (Find(layout) is not null)
        {
            throw new CliException($"cannot remove the user {layout.UserName}: userdel exited with {exitCode}: {error.Trim()}");
        }

        return true;
    }

    /// <summary>The user's entry in the root's <c>etc/passwd</c> (useradd --root writes there, whatever NSS says).</summary>
    public static (uint Uid, uint Gid)? Find(InstallLayout layout)
    {
        string passwd = layout.UnderRoot("/etc/passwd");
        if (!File.Exists(passwd))
        {
            return null;
        }

        foreach (string line in File.ReadLines(passwd))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == layout.UserName &&
                uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid) &&
                uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint gid))
            {
                return (uid, gid);
            }
        }

        return null;
    }
}
