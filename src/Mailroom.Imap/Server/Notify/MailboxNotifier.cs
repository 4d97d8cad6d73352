using Mailroom.Imap.Protocol.Notify;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Server.Notify;

/// <summary>
/// The notifications one session asked for with NOTIFY SET (RFC 5465): its event groups, the mailboxes watched for
/// message events (a lease each on the store's shared folder, bounded by <see cref="ImapOptions.MaxNotifyMailboxes"/>),
/// and the queue the store's signals fill. A session with NOTIFY set costs nothing while nothing changes: the folders'
/// shared watches and the store's folder list signal wake it, nothing polls.
/// </summary>
internal sealed class MailboxNotifier : IDisposable
{
    private readonly IMailboxStore _store;
    private readonly string _user;
    private readonly int _maxMailboxes;
    private readonly Dictionary<string, FolderWatch> _watches = new(StringComparer.Ordinal);
    private readonly Dictionary<MailFolder, FolderWatch> _byFolder = new(ReferenceEqualityComparer.Instance);
    private readonly Action<FolderListChange> _listChanged;
    private HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private bool _disposed;

    public MailboxNotifier(IMailboxStore store, string user, NotifyRequest request, int maxPending, int maxMailboxes, Action wake)
    {
        ArgumentNullException.ThrowIfNull(request);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _user = user ?? throw new ArgumentNullException(nameof(user));
        _maxMailboxes = maxMailboxes;
        SelectedGroup = request.Groups.FirstOrDefault(static g => g.IsSelected);
        OtherGroups = [.. request.Groups.Where(static g => !g.IsSelected)];
        Queue = new NotificationQueue(maxPending, wake);
        _listChanged = change =>
        {
            if (string.Equals(change.User, _user, StringComparison.OrdinalIgnoreCase))
            {
                Queue.FolderListChanged(change);
            }
        };
        if (OtherGroups.Count > 0)
        {
            // Mailbox events need the list's changes, and so do message events: the mailboxes a filter names come and
            // go with the folder list (a folder created under PERSONAL or SUBTREE, a named one created later).
            _store.FolderListChanged += _listChanged;
        }
    }

    /// <summary>The SELECTED or SELECTED-DELAYED group, or null when the selected mailbox is not one of the filters.</summary>
    public NotifyEventGroup? SelectedGroup { get; }

    /// <summary>The groups about other mailboxes, in the client's order (the first that matches a mailbox applies).</summary>
    public IReadOnlyList<NotifyEventGroup> OtherGroups { get; }

    public NotificationQueue Queue { get; }

    /// <summary>The mailboxes watched for message events, by name.</summary>
    public IReadOnlyDictionary<string, FolderWatch> Watches => _watches;

    /// <summary>RFC 5465 §5.2 with <c>selected</c>: expunges of the selected mailbox are reported at any command's end.</summary>
    public bool SelectedExpungesAtOnce =>
        SelectedGroup is { Filter: NotifyFilterKind.Selected } group && (group.Events & NotifyEvents.MessageExpunge) != 0;

    /// <summary>The client asked about the selected mailbox without FlagChange: others' flag changes are not pushed.</summary>
    public bool SelectedFlagChangesUnwanted => SelectedGroup is { } group && (group.Events & NotifyEvents.FlagChange) == 0;

    /// <summary>The events the first matching non-selected group wants for <paramref name="name"/>.</summary>
    public NotifyEvents EventsFor(string name)
    {
        foreach (NotifyEventGroup group in OtherGroups)
        {
            if (Matches(group, name))
            {
                return group.Events;
            }
        }

        return NotifyEvents.None;
    }

    /// <summary>
    /// Opens a watch for every existing mailbox a group wants message events for, and closes those no longer wanted.
    /// False (nothing changed) when that would be more than <see cref="ImapOptions.MaxNotifyMailboxes"/>.
    /// <paramref name="added"/> receives the watches opened.
    /// </summary>
    public bool SyncWatches(List<FolderWatch>? added = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _subscriptions = [.. _store.GetSubscriptions(_user)];
        var wanted = new Dictionary<string, NotifyEvents>(StringComparer.Ordinal);
        foreach (FolderInfo folder in _store.ListFolders(_user))
        {
            NotifyEvents events = EventsFor(folder.Name) & NotifyEvents.Message;
            if (events != NotifyEvents.None)
            {
                wanted[folder.Name] = events;
            }
        }

        if (wanted.Count > _maxMailboxes)
        {
            return false;
        }

        foreach (string name in _watches.Keys.Where(n => !wanted.ContainsKey(n)).ToList())
        {
            _watches.Remove(name, out FolderWatch? gone);
            Forget(gone!);
        }

        foreach ((string name, NotifyEvents events) in wanted)
        {
            if (_watches.TryGetValue(name, out FolderWatch? watch) && watch.Folder.Name == name)
            {
                watch.Events = events;
                continue;
            }

            if (watch is not null)
            {
                // The folder under this name is another one now (renamed away, another renamed here).
                _watches.Remove(name);
                Forget(watch);
            }

            // keepNew: watching is not reading; delivered mail stays new for the next reader (as POP3 leaves it).
            FolderLease? lease = _store.OpenFolder(_user, name, keepNew: true);
            if (lease is not null)
            {
                var opened = new FolderWatch(lease, events, Queue);
                _watches[name] = opened;
                _byFolder[opened.Folder] = opened;
                added?.Add(opened);
            }
        }

        return true;
    }

    /// <summary>The watch of <paramref name="folder"/>, or null when it is not watched.</summary>
    public FolderWatch? WatchOf(MailFolder folder) => _byFolder.GetValueOrDefault(folder);

    /// <summary>
    /// The events the first group matching a folder list change wants: by its name, its old name, or (for a
    /// subscription change) by being a SUBSCRIBED filter, whose set the change itself alters.
    /// </summary>
    public NotifyEvents EventsForListChange(FolderListChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        bool subscription = change.Kind is FolderListChangeKind.Subscribed or FolderListChangeKind.Unsubscribed;
        foreach (NotifyEventGroup group in OtherGroups)
        {
            if (Matches(group, change.Name)
                || (change.OldName is { } old && Matches(group, old))
                || (subscription && group.Filter == NotifyFilterKind.Subscribed))
            {
                return group.Events;
            }
        }

        return NotifyEvents.None;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _store.FolderListChanged -= _listChanged;
        foreach (FolderWatch watch in _watches.Values)
        {
            watch.Dispose();
        }

        _watches.Clear();
        _byFolder.Clear();
    }

    private void Forget(FolderWatch watch)
    {
        _byFolder.Remove(watch.Folder);
        watch.Dispose();
    }

    private bool Matches(NotifyEventGroup group, string name) => group.Filter switch
    {
        // INBOX is the only mailbox that receives mail here (delivery and Sieve's default target).
        NotifyFilterKind.Inboxes => name == "INBOX",
        NotifyFilterKind.Personal => true,
        NotifyFilterKind.Subscribed => _subscriptions.Contains(name),
        NotifyFilterKind.Subtree => group.Names.Any(root => name == root || (name.Length > root.Length && name.StartsWith(root, StringComparison.Ordinal) && name[root.Length] == '/')),
        NotifyFilterKind.Mailboxes => group.Names.Contains(name, StringComparer.Ordinal),
        _ => false,
    };
}
