namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The mail store, the only way any component touches mail: a user's folders (list, create, delete, rename,
/// subscriptions), a folder's snapshot, content, flags and expunge (<see cref="MailFolder"/>), saving as a transaction
/// (<see cref="SaveTransaction"/>: delivery, IMAP APPEND, COPY and MOVE), and the storage a user's mail takes (for the
/// quota, <see cref="MailboxQuota"/>). Users are named <c>user@domain</c> as the directory spells them; case does not
/// matter. Implementations: Maildir (<see cref="Maildir.MaildirStore"/>), memory (<see cref="Memory.MemoryMailboxStore"/>);
/// both pass the same contract tests, which any further backend must pass too. Thread-safe.
/// </summary>
public interface IMailboxStore
{
    /// <summary>
    /// Raised on any thread after the store itself changed what a user's mail takes (a delivery, a save, an expunge,
    /// a deleted folder), with the user; the quota cache forgets its measurement.
    /// </summary>
    event Action<string>? UsageChanged;

    /// <summary>
    /// Raised on any thread after a folder was created, deleted or renamed, or a name (un)subscribed, through this
    /// store (IMAP NOTIFY's MailboxName and SubscriptionChange events, RFC 5465 §5.4–§5.5). Folders created implicitly
    /// as parents are announced too; a SUBSCRIBE of a name already subscribed announces nothing.
    /// </summary>
    event Action<FolderListChange>? FolderListChanged;

    /// <summary>Every folder of the user, INBOX first; a new user gets the default folders (RFC 6154 special use) first.</summary>
    /// <exception cref="ArgumentException">The name cannot be a user of this store.</exception>
    IReadOnlyList<FolderInfo> ListFolders(string user);

    /// <summary>CREATE (RFC 9051 §6.3.4): missing parents are created too; a trailing delimiter is ignored.</summary>
    FolderResult CreateFolder(string user, string name);

    /// <summary>
    /// DELETE (RFC 9051 §6.3.5): the folder and its messages. A folder with children is refused
    /// (<see cref="FolderResult.HasChildrenNoSelect"/>); subscriptions stay, as the RFC asks. Sessions holding the
    /// folder see every message expunged.
    /// </summary>
    FolderResult DeleteFolder(string user, string name);

    /// <summary>
    /// RENAME (RFC 9051 §6.3.6): children move along and open folders follow. Renaming INBOX moves its messages into
    /// the new folder and leaves INBOX empty; INBOX's children stay.
    /// </summary>
    FolderResult RenameFolder(string user, string from, string to);

    /// <summary>SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7): a name may be subscribed whether or not the folder exists.</summary>
    /// <exception cref="ArgumentException">The name is not a valid folder name.</exception>
    void SetSubscribed(string user, string name, bool subscribed);

    /// <summary>The subscribed names, existing or not.</summary>
    IReadOnlyList<string> GetSubscriptions(string user);

    /// <summary>
    /// RFC 8474 §4 MAILBOXID of the folder, or null when it does not exist: kept when the folder is renamed, never the
    /// id of a deleted folder again (a folder created under a deleted one's name gets a new one). Durable: the same after
    /// a restart.
    /// </summary>
    string? GetMailboxId(string user, string name);

    /// <summary>
    /// Opens a folder: loads its snapshot (or picks up what changed since) and holds it until the lease is disposed;
    /// null when it does not exist (INBOX always exists). An IMAP session opens folders as a mail reader: messages
    /// delivered since the last reader looked stop being new mail (Maildir: they move from <c>new/</c> to
    /// <c>cur/</c>). POP3 passes <paramref name="keepNew"/>, so that a message stays new until it is retrieved.
    /// </summary>
    FolderLease? OpenFolder(string user, string name, bool keepNew = false);

    /// <summary>
    /// Opens a folder for a reader that changes nothing (IMAP EXAMINE, RFC 3501 §6.3.2): as <see cref="OpenFolder"/>,
    /// but mail delivered since the last reader looked is not taken as seen (Maildir: it stays in <c>new/</c>; no file
    /// is renamed). Refresh such a folder with <see cref="MailFolder.RefreshReadOnly"/>. A store without that
    /// distinction opens it as any reader.
    /// </summary>
    FolderLease? ExamineFolder(string user, string name) => OpenFolder(user, name);

    /// <summary>
    /// Starts a local delivery into the user's INBOX: each message written into the transaction becomes new mail at
    /// <see cref="SaveTransaction.CommitAsync"/>. A store may give delivered messages their UIDs only when a reader next
    /// opens INBOX (Maildir does: a delivery touches neither the uidlist nor the index).
    /// </summary>
    /// <exception cref="ArgumentException">The name cannot be a user of this store.</exception>
    SaveTransaction BeginDelivery(string user);

    /// <summary>
    /// The bytes every message of every folder of the user takes, measured now (the quota caches it, see
    /// <see cref="MailboxQuota"/>); 0 for a user without mail.
    /// </summary>
    /// <exception cref="ArgumentException">The name cannot be a user of this store.</exception>
    long MeasureUsedBytes(string user);

    /// <summary>
    /// Where a protocol session keeps short-lived working files of <paramref name="user"/> (an IMAP APPEND literal
    /// being received): a directory on the store's file system. The caller creates it when missing and removes its
    /// files itself.
    /// </summary>
    string GetTemporaryDirectory(string user);
}
