namespace Mailroom.Store.Mailboxes;

/// <summary>The outcome of a folder operation (CREATE, DELETE, RENAME).</summary>
public enum FolderResult
{
    Ok,
    AlreadyExists,
    NotFound,
    InvalidName,
    CannotDeleteInbox,
    HasChildrenNoSelect,
}
