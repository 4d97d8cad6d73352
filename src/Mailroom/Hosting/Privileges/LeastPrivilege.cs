using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting.Privileges;

/// <summary>
/// DESIGN invariant 6 for every verb. <c>serve</c> started as root binds its ports and reads its certificate (the
/// caller has done both), then here: loads what it will need from directories the user may not read, finds or
/// creates the service user, makes the data reachable and the user's own, and drops to it — all before the first
/// connection is accepted. Admin verbs run as root become the owner of the data directory, so that what they write
/// belongs to the service user too. Without root nothing changes but the modes: umask 077, data directories 0700.
/// </summary>
internal static class LeastPrivilege
{
    // 077: files 0600 and directories 0700, whoever creates them (SQLite, the store, the queue, the mail log).
    private const uint PrivateUmask = 0x3F;

    public static bool IsRoot => LibC.GetEUid() == 0;

    /// <summary>Sets the umask for the rest of the process; called first thing by every verb.</summary>
    public static void SetUmask() => LibC.Umask(PrivateUmask);

    /// <summary>For <c>serve</c>, after binding and reading the certificate. Returns the account now in use, if switched.</summary>
    /// <exception cref="PrivilegeException">The switch cannot be made safely; the message says what to change.</exception>
    public static async Task<ServiceAccount?> EnterServiceAsync(
        ServerOptions options, DataLayout layout, IReadOnlyList<string> certificateFiles, ILogger logger, CancellationToken cancellationToken)
    {
        if (!IsRoot)
        {
            DataOwnership.MakePrivate(layout);
            return null;
        }

        if (string.Equals(options.User, ServerOptions.Root, StringComparison.Ordinal))
        {
            PrivilegeLog.StayingRoot(logger);
            DataOwnership.MakePrivate(layout);
            return null;
        }

        ServiceAccount account = ServiceAccount.Find(options.User) ?? await CreateAsync(options.User, layout.DataDirectory, logger, cancellationToken).ConfigureAwait(false);
        if (account.Uid == 0)
        {
            throw new PrivilegeException($"Server:User '{options.User}' has uid 0; name an unprivileged user, or set Server:User=root to run as root");
        }

        PrivilegeLog.Preloaded(logger, RuntimePreloader.Preload(account));

        foreach (string root in layout.Roots())
        {
            SearchPermission.EnsureReachable(root, account, logger);
        }

        foreach (string file in layout.LooseFiles())
        {
            SearchPermission.EnsureReachable(file, account, logger);
        }

        DataOwnership.TakeOver(layout, account, logger);
        PrivilegeDrop.To(account);
        PrivilegeLog.Dropped(logger, account.Name, PrivilegeDrop.Describe());
        foreach (string file in certificateFiles.Where(f => !CanRead(f)))
        {
            PrivilegeLog.CertificateUnreadable(logger, account.Name, file);
        }

        return account;
    }

    /// <summary>
    /// For an admin verb run as root: becomes the owner of the data directory when that is another user (the service
    /// user, once <c>serve</c> has run). A data directory that is missing or root's stays root's; <c>serve</c> gives it
    /// to the service user at its next start.
    /// </summary>
    /// <exception cref="PrivilegeException">The switch failed.</exception>
    public static void EnterAsDataOwner(string dataDirectory)
    {
        if (!IsRoot || FileOwnership.Of(Path.GetFullPath(dataDirectory)) is not { Uid: not 0 } owner)
        {
            return;
        }

        ServiceAccount account = ServiceAccount.Find(owner.Uid) ?? new ServiceAccount($"#{owner.Uid}", owner.Uid, owner.Gid, dataDirectory, [owner.Gid]);
        RuntimePreloader.Preload(account);
        PrivilegeDrop.To(account);
    }

    private static async Task<ServiceAccount> CreateAsync(string name, string home, ILogger logger, CancellationToken cancellationToken)
    {
        ServiceAccount created = await SystemUserCreator.CreateAsync(name, Path.GetFullPath(home), cancellationToken).ConfigureAwait(false);
        PrivilegeLog.UserCreated(logger, created.Name, created.Uid, created.Gid, created.Home);
        return created;
    }

    private static bool CanRead(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
