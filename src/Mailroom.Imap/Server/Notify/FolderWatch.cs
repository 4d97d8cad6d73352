using Mailroom.Imap.Protocol.Notify;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Server.Notify;

/// <summary>
/// One mailbox a NOTIFY session watches for message events: a lease on the store's shared folder (so the folder's one
/// file-system watch serves every session, DESIGN "one watch per open folder"), the events wanted, and what the
/// client was last told, to tell which events happened since (RFC 5465 §5.1–§5.3).
/// </summary>
internal sealed class FolderWatch : IDisposable
{
    private readonly FolderLease _lease;
    private readonly Action _changed;

    public FolderWatch(FolderLease lease, NotifyEvents events, NotificationQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        _lease = lease ?? throw new ArgumentNullException(nameof(lease));
        Events = events;
        Reported = lease.Folder.Current;
        MailFolder folder = lease.Folder;
        _changed = () => queue.FolderChanged(folder);
        folder.Changed += _changed;
    }

    public MailFolder Folder => _lease.Folder;

    /// <summary>The events wanted for this mailbox (the first matching event group's; may change on a new match).</summary>
    public NotifyEvents Events { get; set; }

    /// <summary>The snapshot the client was last told about (or that it learnt by selecting the mailbox).</summary>
    public FolderView Reported { get; set; }

    public void Dispose()
    {
        _lease.Folder.Changed -= _changed;
        _lease.Dispose();
    }
}
