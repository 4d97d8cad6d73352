using Mailroom.Store.Mailboxes;

namespace Mailroom.Pop3.Maildir;

/// <summary>
/// The maildrop of a POP3 session: the snapshot of the user's INBOX taken at login (RFC 1939 §4: message numbers refer
/// to it for the whole session), in UID order, which is delivery order. Mail delivered later appears in the next
/// session. Opened without taking new mail as seen (<see cref="IMailboxStore.OpenFolder"/> with <c>keepNew</c>), so a
/// message stays new for other readers until it is retrieved. Holds the folder until disposed, as a viewer of it
/// (<see cref="MailFolder.AddViewer"/>): a message an IMAP session expunges meanwhile stays readable to this session, as
/// to an IMAP session not yet told, within the store's bound (<c>Store:MaxHeldExpungedMessages</c>). Many POP3 clients
/// give up the whole download at a RETR answered -ERR.
/// </summary>
internal sealed class Maildrop : IDisposable
{
    private readonly FolderLease _lease;
    private readonly FolderViewer _viewer;
    private readonly List<MaildropMessage> _messages;

    private Maildrop(FolderLease lease, FolderViewer viewer, List<MaildropMessage> messages, int unreadable, Exception? firstUnreadable)
    {
        _lease = lease;
        _viewer = viewer;
        _messages = messages;
        UnreadableCount = unreadable;
        FirstUnreadable = firstUnreadable;
        InitialSize = messages.Sum(static m => m.Size);
    }

    /// <summary>Messages left out of the listing because they could not be read (size unknown: permissions, not a file).</summary>
    public int UnreadableCount { get; }

    /// <summary>Why the first of them could not be read (the only one kept: a maildrop of unreadable files costs no more).</summary>
    public Exception? FirstUnreadable { get; }

    public IReadOnlyList<MaildropMessage> Messages => _messages;

    /// <summary>Total size at login (the <c>size=</c> of Dovecot's logout line).</summary>
    public long InitialSize { get; }

    /// <summary>Takes the snapshot of <paramref name="mailbox"/>'s INBOX, with each message's size as RETR will send it.</summary>
    /// <exception cref="IOException">The INBOX cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The INBOX cannot be read.</exception>
    /// <exception cref="ArgumentException">The name cannot be a mailbox.</exception>
    public static Maildrop Open(IMailboxStore store, string mailbox)
    {
        ArgumentNullException.ThrowIfNull(store);
        FolderLease lease = store.OpenFolder(mailbox, "INBOX", keepNew: true) ?? throw new IOException($"The INBOX of {mailbox} does not exist.");
        FolderViewer? viewer = null;
        try
        {
            MailFolder inbox = lease.Folder;

            // The viewer first: it shows a snapshot no older than the one listed next, so whatever is expunged from the
            // listing later is held for it.
            viewer = inbox.AddViewer();
            IReadOnlyList<MessageRecord> records = inbox.Current.Messages;
            var messages = new List<MaildropMessage>(records.Count);
            int unreadable = 0;
            Exception? firstUnreadable = null;
            foreach (MessageRecord record in records)
            {
                long size;
                try
                {
                    size = inbox.GetWireSize(record);
                }
                catch (MessageGoneException)
                {
                    // Expunged by another agent while we looked.
                    continue;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // One file another program left unreadable must not keep the user from the rest of the mail.
                    unreadable++;
                    firstUnreadable ??= ex;
                    continue;
                }

                messages.Add(new MaildropMessage(record, size));
            }

            return new Maildrop(lease, viewer, messages, unreadable, firstUnreadable);
        }
        catch
        {
            viewer?.Dispose();
            lease.Dispose();
            throw;
        }
    }

    /// <summary>Opens a message's content for reading.</summary>
    /// <exception cref="MessageGoneException">
    /// The message has been removed since login, by another program or beyond the store's bound of held messages.
    /// </exception>
    public Stream Open(MaildropMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _lease.Folder.OpenContent(message.Uid);
    }

    /// <summary>
    /// The UPDATE state (RFC 1939 §6): retrieved messages get the Seen flag (leaving new mail), then the messages marked
    /// deleted are expunged, durably before the client is answered, so that a crash cannot bring back a message the
    /// client was told is gone. Unretrieved messages stay new, so <c>mail -u</c> and mutt still show them as new.
    /// Returns how many marked messages could not be removed (or made durably gone).
    /// </summary>
    public int Commit()
    {
        // Nothing is read after the UPDATE state: this session's own removals need not be held for it.
        _viewer.Dispose();
        MailFolder inbox = _lease.Folder;
        List<uint> seen = [.. _messages
            .Where(static m => m.Retrieved && !m.Deleted && (m.Flags & MessageFlags.Seen) == 0)
            .Select(static m => m.Uid)];
        if (seen.Count > 0)
        {
            try
            {
                inbox.UpdateFlags(seen, FlagUpdateMode.Add, MessageFlags.Seen, [], unchangedSince: null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The flag is a courtesy to other readers; the client is owed only the deletions.
            }
        }

        List<uint> doomed = [.. _messages.Where(static m => m.Deleted).Select(static m => m.Uid)];
        if (doomed.Count == 0)
        {
            return 0;
        }

        try
        {
            inbox.Remove(doomed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The removals may not have reached the disk: the client must not forget those messages yet.
            return doomed.Count;
        }

        FolderView after = inbox.Current;
        return doomed.Count(uid => after.IndexOfUid(uid) >= 0);
    }

    public void Dispose()
    {
        _viewer.Dispose();
        _lease.Dispose();
    }
}
