namespace Mailroom.Store.Mailboxes;

/// <summary>
/// One change of a user's folder list or subscriptions, as <see cref="IMailboxStore.FolderListChanged"/> announces it.
/// A RENAME announces every folder that moved (children too), each with its old name.
/// </summary>
/// <param name="User">The owner, as the caller named it.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Name">The canonical folder name (the new one after a rename).</param>
/// <param name="OldName">The name before a rename; null otherwise.</param>
public sealed record FolderListChange(string User, FolderListChangeKind Kind, string Name, string? OldName = null);
