using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Server.Notify;

/// <summary>
/// What a NOTIFY session has not yet been told (RFC 5465), filled on any thread by the store's change signals and
/// emptied by the session: the watched folders that changed (one mark per folder however often it changed) and the
/// folder list changes in order. Bounded by <see cref="ImapOptions.MaxPendingNotifications"/>: past it the queue drops
/// everything and reports an overflow, which the session answers with <c>* OK [NOTIFICATIONOVERFLOW]</c> (§5.8).
/// </summary>
internal sealed class NotificationQueue
{
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly Action _wake;
    private readonly HashSet<MailFolder> _folders = new(ReferenceEqualityComparer.Instance);
    private readonly List<FolderListChange> _changes = [];
    private bool _overflowed;

    /// <param name="capacity">The most pending notifications kept.</param>
    /// <param name="wake">Called after each addition (wakes an idling session); must not block.</param>
    public NotificationQueue(int capacity, Action wake)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _wake = wake ?? throw new ArgumentNullException(nameof(wake));
    }

    /// <summary>Whether anything (or an overflow) waits to be reported.</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _overflowed || _folders.Count > 0 || _changes.Count > 0;
            }
        }
    }

    /// <summary>A watched folder's snapshot changed.</summary>
    public void FolderChanged(MailFolder folder)
    {
        lock (_gate)
        {
            if (!_overflowed && _folders.Add(folder))
            {
                CheckCapacityLocked();
            }
        }

        _wake();
    }

    /// <summary>A folder of the user was created, deleted, renamed, subscribed or unsubscribed.</summary>
    public void FolderListChanged(FolderListChange change)
    {
        lock (_gate)
        {
            if (!_overflowed)
            {
                _changes.Add(change);
                CheckCapacityLocked();
            }
        }

        _wake();
    }

    /// <summary>Takes everything pending; <c>Overflowed</c> when notifications were lost (the lists are then empty).</summary>
    public (IReadOnlyList<MailFolder> Folders, IReadOnlyList<FolderListChange> Changes, bool Overflowed) Take()
    {
        lock (_gate)
        {
            if (_overflowed)
            {
                return ([], [], true);
            }

            MailFolder[] folders = [.. _folders];
            FolderListChange[] changes = [.. _changes];
            _folders.Clear();
            _changes.Clear();
            return (folders, changes, false);
        }
    }

    private void CheckCapacityLocked()
    {
        if (_folders.Count + _changes.Count > _capacity)
        {
            _overflowed = true;
            _folders.Clear();
            _changes.Clear();
        }
    }
}
