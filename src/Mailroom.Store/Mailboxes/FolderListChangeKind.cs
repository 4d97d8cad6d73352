namespace Mailroom.Store.Mailboxes;

/// <summary>What happened to a folder name (RFC 5465 §5.4 MailboxName, §5.5 SubscriptionChange).</summary>
public enum FolderListChangeKind
{
    Created,
    Deleted,
    Renamed,
    Subscribed,
    Unsubscribed,
}
