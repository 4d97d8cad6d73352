using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The IMAP view of the mail store: every user's folders as Maildir++ directories under the user's Maildir
/// (<see cref="MaildirStore.GetMaildirPath"/>), one shared <see cref="MailFolder"/> per folder per process.
/// Singleton, thread-safe. Local deliveries through <see cref="MaildirStore"/> are announced to the open INBOX at once.
/// </summary>
public sealed partial class MailboxRepository : IDisposable
{
    /// <summary>The folders every new user gets, subscribed, with their RFC 6154 special use.</summary>
    internal static readonly (string Name, SpecialUse Use)[] DefaultFolders =
    [
        ("Drafts", SpecialUse.Drafts), ("Sent", SpecialUse.Sent), ("Trash", SpecialUse.Trash),
        ("Junk", SpecialUse.Junk), ("Archive", SpecialUse.Archive),
    ];

    private static readonly Lock UidValidityGate = new();
    private static uint s_lastUidValidity;

    private readonly MaildirStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<MailboxRepository> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserMailboxes> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _prepared = new(StringComparer.Ordinal);

    public MailboxRepository(MaildirStore store, IOptions<StoreOptions> options, TimeProvider time, ILogger<MailboxRepository> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _time = time;
        _logger = logger;
        _idleCapacity = options.Value.IdleFolderCacheSize;
        _idleMaxMessages = options.Value.IdleFolderCacheMaxMessages;
        _idleTimeout = options.Value.IdleFolderTimeout;
        _idleTimer = time.CreateTimer(static state => ((MailboxRepository)state!).OnIdleTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _store.Delivered += OnDelivered;
    }

    internal MaildirName Names => _store.Names;

    internal DirectorySyncGroup DirectorySync { get; } = new();

    /// <summary>The folder, or null when it does not exist (<c>INBOX</c> in any case always exists).</summary>
    public FolderLease? OpenFolder(string user, string name)
    {
        if (!FolderNames.TryCanonicalize(name, out string canonical))
        {
            return null;
        }

        UserMailboxes owner = Acquire(user);
        MailFolder folder;
        bool warm = false;
        lock (_gate)
        {
            if (!FolderNames.IsInbox(canonical) && !Directory.Exists(FolderNames.GetPath(owner.Maildir, canonical)))
            {
                // Removed behind our back (not through DeleteFolder): a cached instance is of no use any more.
                if (owner.Folders.TryGetValue(canonical, out MailFolder? stale) && stale.IdleNode is not null)
                {
                    EvictLocked(stale);
                }

                ReleaseLocked(owner);
                return null;
            }

            if (!owner.Folders.TryGetValue(canonical, out folder!))
            {
                folder = new MailFolder(owner, canonical, _time, _logger);
                owner.Folders.Add(canonical, folder);
            }
            else if (UnparkLocked(folder))
            {
                // The cache's reference on the owner is no longer needed: this lease holds one (Acquire).
                owner.References--;
                warm = true;
            }

            folder.Leases++;
        }

        var lease = new FolderLease(this, folder);
        try
        {
            if (warm)
            {
                folder.Reopen();
            }
            else
            {
                folder.EnsureLoaded();
            }

            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where a protocol session keeps short-lived working files of <paramref name="user"/> (an IMAP APPEND being
    /// received): the Maildir's <c>tmp/</c>, on the same file system as the folders, where Maildir readers expect only
    /// transient files. The caller creates it when missing and removes its files itself.
    /// </summary>
    public string GetTemporaryDirectory(string user) => Path.Combine(_store.GetMaildirPath(user), "tmp");

    public void Dispose()
    {
        _store.Delivered -= OnDelivered;
        lock (_gate)
        {
            _disposed = true;
            _idle.Clear();
            _idleMessages = 0;
            foreach (UserMailboxes owner in _users.Values)
            {
                owner.Dispose();
            }

            _users.Clear();
        }

        // After _disposed is set: a callback already waiting for the lock returns without touching the timer.
        _idleTimer.Dispose();
    }

    internal static SpecialUse SpecialUseOf(string name)
    {
        foreach ((string folder, SpecialUse use) in DefaultFolders)
        {
            if (folder == name)
            {
                return use;
            }
        }

        return SpecialUse.None;
    }

    /// <summary>
    /// A UIDVALIDITY never used before for this folder (RFC 9051 §2.3.1.1): the clock in seconds, above the last one
    /// handed out by this process and above the one the cache remembers for the folder.
    /// </summary>
    internal uint NextUidValidity(uint known)
    {
        lock (UidValidityGate)
        {
            uint now = (uint)Math.Clamp(_time.GetUtcNow().ToUnixTimeSeconds(), 1, uint.MaxValue - 1);
            uint next = Math.Max(now, Math.Max(s_lastUidValidity, known) + 1);
            s_lastUidValidity = next;
            return next;
        }
    }

    internal void Release(MailFolder folder)
    {
        lock (_gate)
        {
            UserMailboxes owner = folder.Owner;
            if (--folder.Leases == 0 && owner.Folders.TryGetValue(folder.Name, out MailFolder? loaded) && ReferenceEquals(loaded, folder))
            {
                folder.DetachHandlers();
                if (ParkLocked(folder))
                {
                    // Kept loaded: the lease's reference on the owner (index connection included) passes to the cache.
                    return;
                }

                owner.Folders.Remove(folder.Name);
            }

            ReleaseLocked(owner);
        }
    }

    /// <summary>The user's shared state, prepared (Maildir and default folders), with one more reference.</summary>
    private UserMailboxes Acquire(string user)
    {
        string maildir = _store.GetMaildirPath(user);
        UserMailboxes owner;
        lock (_gate)
        {
            if (!_users.TryGetValue(maildir, out owner!))
            {
                owner = new UserMailboxes(user, maildir, this, _logger);
                _users.Add(maildir, owner);
            }

            owner.References++;
        }

        try
        {
            Prepare(owner);
            return owner;
        }
        catch
        {
            Release(owner);
            throw;
        }
    }

    private void Release(UserMailboxes owner)
    {
        lock (_gate)
        {
            ReleaseLocked(owner);
        }
    }

    private void ReleaseLocked(UserMailboxes owner)
    {
        if (--owner.References == 0)
        {
            _users.Remove(owner.Maildir);
            owner.Dispose();
        }
    }

    private void OnDelivered(string maildir)
    {
        MailFolder? inbox = null;
        lock (_gate)
        {
            // A released INBOX kept in the cache is refreshed when it is leased again; nobody is waiting for it now.
            if (_users.TryGetValue(maildir, out UserMailboxes? owner)
                && owner.Folders.TryGetValue(FolderNames.Inbox, out inbox)
                && inbox.IdleNode is not null)
            {
                inbox = null;
            }
        }

        if (inbox is not null)
        {
            // Off the delivery agent's thread: the delivery is done; the sessions learn of it from Changed.
            ThreadPool.UnsafeQueueUserWorkItem(
                static state =>
                {
                    (MailFolder folder, ILogger logger) = state;
                    try
                    {
                        folder.Refresh();
                    }
                    catch (ObjectDisposedException)
                    {
                        // Unloaded between the delivery and this refresh: nobody is left to tell.
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
                    {
                        MailboxLog.DeliveryRefreshFailed(logger, folder.FolderPath, ex);
                    }
                },
                (inbox, (ILogger)_logger),
                preferLocal: false);
        }
    }
}
