using System.Globalization;
using System.Text;
using Mailroom.Imap.Commands;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Notify;
using Mailroom.Imap.Server.Notify;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Server;

/// <summary>
/// NOTIFY (RFC 5465): the session's notifier, and the notifications it writes. STATUS and LIST notifications go out
/// before the tagged response of every command, while idling, and as they happen between commands (Net's wake hook,
/// <see cref="OnWakeAsync"/>); MessageNew's FETCH for the selected mailbox goes out after each command, while idling
/// and between commands. While a command runs, events wait in the queue (bounded,
/// <see cref="ImapOptions.MaxPendingNotifications"/>) for its end.
/// </summary>
internal sealed partial class ImapSession
{
    // Advertised after ExtensionCapabilities.
    private const string NotifyCapability = " NOTIFY";

    private MailboxNotifier? _notifier;

    // The highest UID of the selected mailbox whose MessageNew FETCH was sent (or that the client knew of before).
    private uint _pushedUid;

    /// <summary>The notifications asked for with NOTIFY SET, or null.</summary>
    public MailboxNotifier? Notifier => _notifier;

    /// <summary>
    /// NOTIFY SET: replaces the notifications in effect, writing the STATUS of every watched mailbox first when the
    /// client asked (RFC 5465 §3). False, with the previous ones still in effect, when more mailboxes would be watched
    /// than <see cref="ImapOptions.MaxNotifyMailboxes"/>.
    /// </summary>
    public bool SetNotify(NotifyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ImapOptions options = Context.Options;
        var notifier = new MailboxNotifier(Context.Mailboxes, User!, request, options.MaxPendingNotifications, options.MaxNotifyMailboxes, WakeIdle);
        if (!notifier.SyncWatches())
        {
            notifier.Dispose();
            return false;
        }

        _notifier?.Dispose();
        _notifier = notifier;
        _pushedUid = Selected is { Count: > 0 } selected ? selected.Messages[^1].Uid : 0;
        if (request.SendStatus)
        {
            foreach (FolderWatch watch in notifier.Watches.Values)
            {
                if (!ReferenceEquals(Selected?.Folder, watch.Folder))
                {
                    WriteNotifyStatus(watch.Folder.Name, watch.Reported, watch.Events);
                }
            }
        }

        return true;
    }

    /// <summary>NOTIFY NONE (RFC 5465 §3.1), and the end of the session: no more notifications, no more watches.</summary>
    public void ClearNotify()
    {
        _notifier?.Dispose();
        _notifier = null;
    }

    /// <summary>
    /// Writes what the notifier gathered: LIST for mailbox name and subscription changes (RFC 5465 §5.4, §5.5), STATUS
    /// for message events in watched mailboxes other than the selected one (§5.1–§5.3), or the overflow (§5.8).
    /// </summary>
    public void WriteNotifications()
    {
        MailboxNotifier? notifier = _notifier;
        if (notifier is null)
        {
            return;
        }

        (IReadOnlyList<MailFolder> folders, IReadOnlyList<FolderListChange> changes, bool overflowed) = notifier.Queue.Take();
        if (overflowed)
        {
            Overflow();
            return;
        }

        foreach (FolderListChange change in changes)
        {
            NotifyEvents events = notifier.EventsForListChange(change);
            bool naming = change.Kind is FolderListChangeKind.Created or FolderListChangeKind.Deleted or FolderListChangeKind.Renamed;
            if ((events & (naming ? NotifyEvents.MailboxName : NotifyEvents.SubscriptionChange)) != 0)
            {
                WriteListNotification(change);
            }
        }

        var added = new List<FolderWatch>();
        if (changes.Count > 0 && !notifier.SyncWatches(added))
        {
            // More mailboxes than a session may watch: the client learns it cannot rely on NOTIFY any more.
            Overflow();
            return;
        }

        foreach (FolderWatch watch in added)
        {
            // A mailbox that came into a filter (created, renamed or subscribed) may already hold messages the client
            // has not heard of: they are news to it.
            NotifyEvents news = watch.Events & NotifyEvents.MessageNew;
            if (news != NotifyEvents.None && watch.Reported.Messages.Count > 0 && !ReferenceEquals(Selected?.Folder, watch.Folder))
            {
                WriteNotifyStatus(watch.Folder.Name, watch.Reported, news);
            }
        }

        foreach (MailFolder folder in folders)
        {
            if (notifier.WatchOf(folder) is not { } watch)
            {
                continue;
            }

            FolderView before = watch.Reported;
            FolderView now = folder.Current;
            watch.Reported = now;
            if (ReferenceEquals(Selected?.Folder, folder))
            {
                // The selected mailbox is reported by EXISTS, EXPUNGE and FETCH, never by STATUS.
                continue;
            }

            NotifyEvents happened = EventsBetween(before, now) & watch.Events;
            if (happened != NotifyEvents.None)
            {
                WriteNotifyStatus(folder.Name, now, happened);
            }
        }
    }

    /// <summary>
    /// RFC 5465 §5.1: <c>* n FETCH (...)</c> with MessageNew's attributes for each message of the selected mailbox that
    /// arrived since the last push, without setting \Seen. Messages gone or unreadable meanwhile are skipped.
    /// </summary>
    public async ValueTask PushNewMessagesAsync(CancellationToken cancellationToken)
    {
        if (_notifier?.SelectedGroup is not { NewMessageFetch: { } fetch } group
            || (group.Events & NotifyEvents.MessageNew) == 0
            || Selected is not { Count: > 0 } selected
            || selected.Messages[^1].Uid <= _pushedUid)
        {
            return;
        }

        if (QResyncEnabled)
        {
            // RFC 7162 §3.2.4: with QRESYNC on, every untagged FETCH carries the UID.
            fetch.EnsureUid();
        }

        int first = selected.Count;
        while (first > 0 && selected.Messages[first - 1].Uid > _pushedUid)
        {
            first--;
        }

        var writer = new FetchResponseWriter(this, fetch);
        for (int index = first; index < selected.Count; index++)
        {
            MessageRecord record = selected.Messages[index];
            try
            {
                await writer.WriteAsync(index + 1, record, seenNow: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MessageGoneException or UnknownCteException or MessageUnreadableException)
            {
                // The client may still FETCH it itself and get the error there.
            }

            await FlushIfLargeAsync(cancellationToken).ConfigureAwait(false);
        }

        _pushedUid = selected.Messages[^1].Uid;
    }

    /// <summary>A mailbox was selected: its messages are known to the client, only later ones are pushed.</summary>
    private void OnSelectedForNotify(SelectedMailbox mailbox) =>
        _pushedUid = mailbox.Count > 0 ? mailbox.Messages[^1].Uid : 0;

    /// <summary>
    /// The selected mailbox is left: what the client saw while it was selected is not reported again as STATUS.
    /// </summary>
    private void OnDeselectedForNotify(SelectedMailbox mailbox)
    {
        if (_notifier?.WatchOf(mailbox.Folder) is { } watch)
        {
            watch.Reported = watch.Folder.Current;
        }
    }

    /// <summary>
    /// Wakes the session if it idles. Called by the store on the thread that published a change, once per session
    /// holding the folder (10,000 in a row): each session's work is queued on the thread pool's global queue, first
    /// come first served, rather than on the caller's local queue, whose owner takes the newest first while the first
    /// sessions to idle wait behind the whole fan-out.
    /// </summary>
    private void WakeIdle()
    {
        if (Volatile.Read(ref _idleWake) is { Task.IsCompleted: false } wake)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.TrySetResult(), wake, preferLocal: false);
        }
        else if (_notifier is not null)
        {
            // RFC 5465 §5: with NOTIFY set, events go out as they happen, also between commands of a client not idling.
            WakeBetweenCommands();
        }
    }

    /// <summary>
    /// Between commands, woken by an event NOTIFY asked for (RFC 5465 §5): the selected mailbox's news when the client
    /// asked about it (EXISTS, flag FETCH, MessageNew's FETCH; never EXPUNGE, which RFC 3501 §7.4.1 forbids when no
    /// command is in progress: it waits for the next command that allows it, sequence numbers stay put meanwhile),
    /// then STATUS and LIST notifications for other mailboxes. Net's loop flushes it under the wait's deadline; as in
    /// IDLE, news sent restarts the inactivity deadline.
    /// </summary>
    protected override async ValueTask OnWakeAsync(CancellationToken ct)
    {
        if (_notifier is null || _command.Length > 0)
        {
            // Half a command has arrived (a line before its literal): the news goes out at the command's end.
            return;
        }

        if (_notifier.SelectedGroup is not null)
        {
            SendUpdates(allowExpunge: false, refresh: false);
        }

        WriteNotifications();
        if (_notifier?.SelectedGroup is not null)
        {
            await PushNewMessagesAsync(ct).ConfigureAwait(false);
        }

        RestartIdleTimer();
    }

    /// <summary>RFC 5465 §5.8: the session fell too far behind; it behaves as after NOTIFY NONE.</summary>
    private void Overflow()
    {
        ClearNotify();
        WriteLine("* OK [NOTIFICATIONOVERFLOW] Too many notifications pending, NOTIFY is off.");
    }

    /// <summary>
    /// <c>* LIST</c> for a folder list change: created <c>()</c>, deleted <c>(\NonExistent)</c>, renamed <c>()</c> with
    /// <c>("OLDNAME" (old))</c> (RFC 5465 §5.4), subscribed <c>(\Subscribed)</c>, unsubscribed <c>()</c> (§5.5).
    /// </summary>
    private void WriteListNotification(FolderListChange change)
    {
        string attributes = change.Kind switch
        {
            FolderListChangeKind.Deleted => @"\NonExistent",
            FolderListChangeKind.Subscribed => @"\Subscribed",
            _ => "",
        };
        Write("* LIST (" + attributes + ") \"/\" ");
        ImapWire.WriteMailboxName(Writer, change.Name, Utf8Names);
        if (change.Kind == FolderListChangeKind.Renamed && change.OldName is { } oldName)
        {
            Write(" (\"OLDNAME\" (");
            ImapWire.WriteMailboxName(Writer, oldName, Utf8Names);
            Write("))");
        }

        Write("\r\n"u8);
    }

    /// <summary>
    /// <c>* STATUS name (...)</c> with the items RFC 5465 names for the events: MessageNew MESSAGES, UIDNEXT and
    /// UIDVALIDITY (§5.1), MessageExpunge MESSAGES (§5.2), FlagChange UIDVALIDITY and HIGHESTMODSEQ (§5.3).
    /// </summary>
    private void WriteNotifyStatus(string name, FolderView view, NotifyEvents events)
    {
        var items = new StringBuilder();
        if ((events & (NotifyEvents.MessageNew | NotifyEvents.MessageExpunge)) != 0)
        {
            items.Append(CultureInfo.InvariantCulture, $"MESSAGES {view.Messages.Count}");
        }

        if ((events & NotifyEvents.MessageNew) != 0)
        {
            items.Append(CultureInfo.InvariantCulture, $" UIDNEXT {view.UidNext}");
        }

        if ((events & (NotifyEvents.MessageNew | NotifyEvents.FlagChange)) != 0)
        {
            items.Append(CultureInfo.InvariantCulture, $" UIDVALIDITY {view.UidValidity}");
        }

        if ((events & NotifyEvents.FlagChange) != 0)
        {
            items.Append(CultureInfo.InvariantCulture, $" HIGHESTMODSEQ {view.HighestModSeq}");
        }

        Write("* STATUS ");
        ImapWire.WriteMailboxName(Writer, name, Utf8Names);
        WriteLine(" (" + items.ToString().TrimStart() + ")");
    }

    /// <summary>Which message events turn <paramref name="before"/> into <paramref name="now"/>.</summary>
    private static NotifyEvents EventsBetween(FolderView before, FolderView now)
    {
        if (before.UidValidity != now.UidValidity)
        {
            return NotifyEvents.Message;
        }

        NotifyEvents events = now.UidNext != before.UidNext ? NotifyEvents.MessageNew : NotifyEvents.None;
        int kept = 0;
        foreach (MessageRecord message in now.Messages)
        {
            if (message.Uid >= before.UidNext)
            {
                break;
            }

            kept++;
            if (message.ModSeq > before.HighestModSeq)
            {
                events |= NotifyEvents.FlagChange;
            }
        }

        return kept < before.Messages.Count ? events | NotifyEvents.MessageExpunge : events;
    }
}
