using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Maildir;

/// <summary>
/// What the folders of one user share: the Maildir, the index cache (open while any folder is in use, then kept a while
/// by <see cref="IdleIndexCache"/>), the loaded <see cref="MaildirFolder"/> instances and the lock that serialises folder
/// management (CREATE, RENAME, DELETE, subscriptions). Reference counts and the folder table are guarded by the store.
/// </summary>
internal sealed class UserMailboxes : IDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _indexGate = new();
    private IndexDatabase? _index;

    public UserMailboxes(string user, string maildir, MaildirStore store, ILogger logger)
    {
        User = user;
        Maildir = maildir;
        Store = store;
        _logger = logger;
    }

    public string User { get; }

    public string Maildir { get; }

    public MaildirStore Store { get; }

    /// <summary>Folders in use by canonical name; guarded by the store's lock.</summary>
    public Dictionary<string, MaildirFolder> Folders { get; } = new(StringComparer.Ordinal);

    /// <summary>Leases plus management operations in progress; guarded by the store's lock.</summary>
    public int References { get; set; }

    /// <summary>Serialises CREATE/RENAME/DELETE and subscription updates of this user.</summary>
    public Lock ManagementGate { get; } = new();

    /// <summary>
    /// True once the user has left the store (nothing of theirs is open or cached): a folder object still
    /// referenced from elsewhere (a refresh queued by a delivery) must not reopen the index.
    /// </summary>
    public bool IsDisposed { get; private set; }

    /// <exception cref="ObjectDisposedException">The user has left the store.</exception>
    public IndexDatabase Index
    {
        get
        {
            lock (_indexGate)
            {
                ObjectDisposedException.ThrowIf(IsDisposed, this);
                return _index ??= Store.IdleIndexes.Take(Maildir) ?? IndexDatabase.Open(Maildir, _logger);
            }
        }
    }

    /// <summary>The user leaves the store: the index connection goes to the store's cache of idle ones (which may close it).</summary>
    public void Dispose()
    {
        IndexDatabase? index;
        lock (_indexGate)
        {
            IsDisposed = true;
            index = _index;
            _index = null;
        }

        if (index is not null)
        {
            Store.IdleIndexes.Keep(Maildir, index);
        }
    }
}
