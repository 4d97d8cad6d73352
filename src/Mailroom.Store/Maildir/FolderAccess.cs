namespace Mailroom.Store.Maildir;

/// <summary>Who is loading or refreshing a folder, which decides what happens to new mail and to unindexed messages.</summary>
internal enum FolderAccess
{
    /// <summary>
    /// A mail reader that may change the folder (IMAP SELECT, STATUS, APPEND, COPY): new mail has been seen, so files in
    /// <c>new/</c> move to <c>cur/</c>; messages found without an index entry are described from their headers.
    /// </summary>
    Reader,

    /// <summary>
    /// A mail reader that changes nothing (IMAP EXAMINE, RFC 3501 §6.3.2 "no changes to the permanent state of the
    /// mailbox"): messages are numbered and described, but their files stay in <c>new/</c>, as Dovecot leaves them on a
    /// read-only open.
    /// </summary>
    ReadOnlyReader,

    /// <summary>An agent that shows no messages (POP3, local delivery, the directory watcher): new mail stays new, nothing is described.</summary>
    Agent,
}
