using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting.Privileges;

/// <summary>
/// Makes the data the service user's own and private before the drop: each directory of the <see cref="DataLayout"/>
/// exists, belongs to the user and is 0700; the files inside are the user's and lose every group and other permission
/// bit (0600, 0700 for directories). A tree that already belongs to the user is fixed only at its top and outside the
/// mail store, so a start with millions of messages does not walk them all; admin verbs run as root drop to the
/// owner of the data directory, so nothing root-owned appears in it afterwards.
/// </summary>
internal static class DataOwnership
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <exception cref="PrivilegeException">A directory cannot be created or given to the user.</exception>
    public static void TakeOver(DataLayout layout, ServiceAccount account, ILogger logger)
    {
        foreach (string root in layout.Roots())
        {
            FileOwnership before = Ensure(root);
            bool walkMailStore = FileOwnership.Of(Path.GetFullPath(layout.MailStore)) is not { } store || store.Uid != account.Uid;
            int changed = Walk(root, account, skip: walkMailStore ? null : Path.GetFullPath(layout.MailStore));
            if (before.Uid != account.Uid || changed > 0)
            {
                PrivilegeLog.TookOver(logger, root, account.Name, changed);
            }
        }

        foreach (string file in layout.LooseFiles().SelectMany(f => f.EndsWith(".db", StringComparison.Ordinal) ? DataLayout.WithSqliteCompanions(f) : [f]))
        {
            if (FileOwnership.Of(file) is { } status)
            {
                Fix(file, status, account);
            }
        }
    }

    /// <summary>Only the modes, for a server that is not root: the data directories are created private and stay so.</summary>
    public static void MakePrivate(DataLayout layout)
    {
        foreach (string root in layout.Roots())
        {
            FileOwnership status = Ensure(root);
            if ((status.Permissions & 0x3F) != 0 && status.Uid == LibC.GetEUid() && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(root, PrivateDirectory);
            }
        }
    }

    private static FileOwnership Ensure(string directory)
    {
        try
        {
            // 0700 through the umask (LeastPrivilege.SetUmask); an existing directory is fixed by the caller.
            System.IO.Directory.CreateDirectory(directory);
            return FileOwnership.Of(directory) ?? throw new DirectoryNotFoundException(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PrivilegeException($"cannot create the data directory {directory}: {ex.Message}", ex);
        }
    }

    /// <summary>Fixes the tree under <paramref name="root"/> (itself included); returns how many entries changed.</summary>
    private static int Walk(string root, ServiceAccount account, string? skip)
    {
        int changed = 0;
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out string? directory))
        {
            if (FileOwnership.Of(directory) is not { } status)
            {
                continue;
            }

            changed += Fix(directory, status, account) ? 1 : 0;
            if (status.IsSymbolicLink || !status.IsDirectory || string.Equals(directory, skip, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (string entry in System.IO.Directory.EnumerateFileSystemEntries(directory))
            {
                if (FileOwnership.Of(entry) is not { } entryStatus)
                {
                    continue;
                }

                if (entryStatus.IsDirectory)
                {
                    pending.Push(entry);
                }
                else
                {
                    changed += Fix(entry, entryStatus, account) ? 1 : 0;
                }
            }
        }

        return changed;
    }

    private static bool Fix(string path, FileOwnership status, ServiceAccount account)
    {
        bool changed = false;
        if (status.Uid != account.Uid || status.Gid != account.Gid)
        {
            if (LibC.LChown(path, account.Uid, account.Gid) != 0)
            {
                throw new PrivilegeException($"cannot give {path} to user {account.Name}: {Marshal.GetLastPInvokeErrorMessage()}");
            }

            changed = true;
        }

        if (!status.IsSymbolicLink && (status.Permissions & 0x3F) != 0 && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(status.Permissions & ~0x3F));
            changed = true;
        }

        return changed;
    }
}
