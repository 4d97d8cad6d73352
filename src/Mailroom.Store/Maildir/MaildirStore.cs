using System.Collections.Concurrent;
using Mailroom.IO;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Maildir;

/// <summary>
/// The mail store as Maildirs that mutt and <c>mail -f</c> read: user <c>user@domain</c> is
/// <c>&lt;MailRoot&gt;/&lt;domain&gt;/&lt;user&gt;/{cur,new,tmp}</c> (INBOX), each other folder a Maildir++
/// subdirectory (<see cref="FolderNames"/>), with a uidlist per folder (the UIDs, <see cref="UidList"/>) and one index
/// cache per user (<see cref="IndexDatabase"/>). One shared <see cref="MaildirFolder"/> per folder per process;
/// deliveries are announced to an open INBOX at once. Singleton, thread-safe.
/// </summary>
public sealed partial class MaildirStore : IMailboxStore, IDisposable
{
    private static readonly Lock UidValidityGate = new();
    private static uint s_lastUidValidity;

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly ILogger<MaildirStore> _logger;
    private readonly Lock _gate = new();
    private readonly TimeSpan _pollInterval;
    private int _watchFailures;
    private readonly Dictionary<string, UserMailboxes> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _prepared = new(StringComparer.Ordinal);

    /// <param name="options">The store's options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The store's diagnostics.</param>
    /// <param name="indexer">
    /// Computes the cached protocol data of each message as it is saved (the IMAP server registers one); without it
    /// the data is computed at the first FETCH that needs it.
    /// </param>
    public MaildirStore(IOptions<StoreOptions> options, TimeProvider time, ILogger<MaildirStore> logger, IMessageIndexer? indexer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _root = Path.GetFullPath(options.Value.MailRoot);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Names = new MaildirName(time);
        Indexer = indexer;
        _idleCapacity = options.Value.IdleFolderCacheSize;
        _idleMaxMessages = options.Value.IdleFolderCacheMaxMessages;
        _idleTimeout = options.Value.IdleFolderTimeout;
        _pollInterval = options.Value.FolderPollInterval;
        ExpungedUidMemory = options.Value.ExpungedUidMemory;
        HeldBudget = new HeldContentBudget(options.Value.MaxHeldExpungedMessages);
        DeliveryIndexWait = options.Value.DeliveryIndexWait;
        _syncFileSystems = options.Value.SyncMode == StoreSyncMode.FileSystem && FileSystemSyncGroup.IsSupported;
        if (options.Value.SyncMode == StoreSyncMode.FileSystem && !_syncFileSystems)
        {
            StoreLog.FileSystemSyncUnsupported(logger);
        }

        _idleTimer = time.CreateTimer(static state => ((MaildirStore)state!).OnIdleTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        IdleIndexes = new IdleIndexCache(options.Value.IdleIndexCacheSize, options.Value.IdleIndexTimeout, time);
    }

    public event Action<string>? UsageChanged;

    public event Action<FolderListChange>? FolderListChanged;

    /// <summary>Index connections of users nobody holds, kept open for their next delivery or session.</summary>
    internal IdleIndexCache IdleIndexes { get; }

    /// <summary>The unique-name source of every file this store writes, so names never collide in one process.</summary>
    internal MaildirName Names { get; }

    /// <summary>Group commit of the directory fsyncs of deliveries, APPENDs and COPYs.</summary>
    internal DirectorySyncGroup DirectorySync { get; } = new();

    /// <summary>
    /// Starts a folder's file-system watch (inotify on Linux). It fails when the kernel's per-user limits
    /// (<c>fs.inotify.max_user_instances</c>, <c>fs.inotify.max_user_watches</c>) are used up; tests replace it to fail so.
    /// </summary>
    internal Action<FileSystemWatcher> StartWatcher { get; set; } = static watcher => watcher.EnableRaisingEvents = true;

    /// <summary>
    /// A folder could not be watched and polls instead: true the first time in this store's life, so the warning is
    /// logged once, not once per folder while the limit lasts.
    /// </summary>
    internal bool IsFirstWatchFailure() => Interlocked.Exchange(ref _watchFailures, 1) == 0;

    /// <summary>The fsync of a directory after an expunge (tests replace it to see it called, or fail).</summary>
    internal Action<string> FlushDirectory { get; set; } = DurableFile.FlushDirectory;

    internal ILogger Logger => _logger;

    /// <summary>Computes the index entries of saved and newly found messages; null when none was given.</summary>
    internal IMessageIndexer? Indexer { get; }

    /// <summary><see cref="StoreOptions.DeliveryIndexWait"/>.</summary>
    internal TimeSpan DeliveryIndexWait { get; }

    /// <summary><see cref="StoreOptions.ExpungedUidMemory"/>.</summary>
    internal int ExpungedUidMemory { get; }

    /// <summary><see cref="StoreOptions.MaxHeldExpungedMessages"/>, shared by every folder.</summary>
    internal HeldContentBudget HeldBudget { get; }

    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// The Maildir (INBOX) of <paramref name="user"/> (<c>user@domain</c>, case-folded as directory keys are).
    /// Tests and tools that look at the files use it; protocol code never does.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not <c>user@domain</c> or would escape the mail root.</exception>
    public string GetMaildirPath(string user)
    {
        (string local, string domain) = UserNames.Split(user);
        return Path.Combine(_root, domain, local);
    }

    public FolderLease? OpenFolder(string user, string name, bool keepNew = false) =>
        Open(user, name, keepNew ? FolderAccess.Agent : FolderAccess.Reader);

    /// <summary>EXAMINE: the messages are numbered and indexed, but delivered mail stays in new/ (nothing is renamed).</summary>
    public FolderLease? ExamineFolder(string user, string name) => Open(user, name, FolderAccess.ReadOnlyReader);

    private FolderLease? Open(string user, string name, FolderAccess access)
    {
        if (!FolderNames.TryCanonicalize(name, out string canonical))
        {
            return null;
        }

        UserMailboxes owner = Acquire(user);
        MaildirFolder folder;
        bool warm = false;
        lock (_gate)
        {
            if (!FolderNames.IsInbox(canonical) && !System.IO.Directory.Exists(FolderNames.GetPath(owner.Maildir, canonical)))
            {
                // Removed behind our back (not through DeleteFolder): a cached instance is of no use any more.
                if (owner.Folders.TryGetValue(canonical, out MaildirFolder? stale) && stale.IdleNode is not null)
                {
                    EvictLocked(stale);
                }

                ReleaseLocked(owner);
                return null;
            }

            if (!owner.Folders.TryGetValue(canonical, out folder!))
            {
                folder = new MaildirFolder(owner, canonical, _time, _logger);
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

        var lease = new FolderLease(folder, Release);
        try
        {
            if (warm)
            {
                folder.Reopen(access);
            }
            else
            {
                folder.EnsureLoaded(access);
            }

            // One watch and one poll per folder in use, whatever the number of sessions (a no-op after the first).
            folder.StartWatching(_pollInterval);
            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    public string GetTemporaryDirectory(string user) => Path.Combine(GetMaildirPath(user), "tmp");

    public void Dispose()
    {
        List<MaildirFolder> watched = [];
        lock (_gate)
        {
            _disposed = true;
            _idle.Clear();
            _idleMessages = 0;
            foreach (UserMailboxes owner in _users.Values)
            {
                watched.AddRange(owner.Folders.Values);
                owner.Dispose();
            }

            _users.Clear();
        }

        foreach (MaildirFolder folder in watched)
        {
            folder.StopWatching();
        }

        // After _disposed is set: a callback already waiting for the lock returns without touching the timer.
        _idleTimer.Dispose();

        // After the users left: their connections were handed to this cache, which closes them all now.
        IdleIndexes.Dispose();
        DisposeFileSystemSyncs();
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

    /// <summary>Tells the quota (and anybody else listening) that what <paramref name="user"/>'s mail takes changed.</summary>
    internal void OnUsageChanged(string user) => UsageChanged?.Invoke(user);

    /// <summary>Announces folder list changes, outside every lock (a listener may call back into the store).</summary>
    private void OnFolderListChanged(IEnumerable<FolderListChange> changes)
    {
        foreach (FolderListChange change in changes)
        {
            FolderListChanged?.Invoke(change);
        }
    }

    private void Release(MailFolder released)
    {
        var folder = (MaildirFolder)released;
        ReleaseLease(folder);

        // Outside the store's lock: a refresh holding the folder's lock may call back into the store.
        folder.StopWatchingIfUnused();
    }

    private void ReleaseLease(MaildirFolder folder)
    {
        lock (_gate)
        {
            UserMailboxes owner = folder.Owner;
            if (--folder.Leases == 0 && owner.Folders.TryGetValue(folder.Name, out MaildirFolder? loaded) && ReferenceEquals(loaded, folder))
            {
                folder.DetachHandlers();

                // Only a loaded folder is worth keeping: one that a delivery numbered mail in without loading it is not.
                if (folder.IsLoaded && ParkLocked(folder))
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
        UserMailboxes owner = Reference(user);
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

    /// <summary>The user's shared state with one more reference, not prepared (a delivery creates no default folders).</summary>
    private UserMailboxes Reference(string user)
    {
        string maildir = GetMaildirPath(user);
        lock (_gate)
        {
            if (!_users.TryGetValue(maildir, out UserMailboxes? owner))
            {
                owner = new UserMailboxes(user, maildir, this, _logger);
                _users.Add(maildir, owner);
            }

            owner.References++;
            return owner;
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
}
