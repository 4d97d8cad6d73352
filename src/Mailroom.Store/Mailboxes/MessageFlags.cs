namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The IMAP system flags a message keeps (RFC 9051 §2.3.2). <c>\Recent</c> is per session, not stored.
/// Stored as the Maildir info letters D F R S T (https://cr.yp.to/proto/maildir.html).
/// </summary>
[Flags]
public enum MessageFlags
{
    None = 0,
    Seen = 1,
    Answered = 2,
    Flagged = 4,
    Deleted = 8,
    Draft = 16,
}
