using System.ComponentModel.DataAnnotations;

namespace Mailroom.Imap;

/// <summary>The limits of NOTIFY (RFC 5465).</summary>
public sealed partial class ImapOptions
{
    /// <summary>
    /// Notifications one NOTIFY session may have waiting (mailboxes with message changes, each counted once however
    /// often it changed, plus mailbox name and subscription changes). Past it the session gets
    /// <c>* OK [NOTIFICATIONOVERFLOW]</c> and NOTIFY is off (RFC 5465 §5.8): a client that stops reading must not make
    /// the server keep a growing backlog. Default 1000: a client that idles or sends commands takes them at once.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxPendingNotifications { get; set; } = 1000;

    /// <summary>
    /// Mailboxes one NOTIFY session may watch for message events (PERSONAL, SUBTREE, SUBSCRIBED... resolved), and
    /// mailbox names it may give in SUBTREE and MAILBOXES. Each watched mailbox holds the store's shared folder (one
    /// file-system watch per folder, whoever watches it). More: <c>NO [LIMIT]</c> at NOTIFY SET, and
    /// <c>NOTIFICATIONOVERFLOW</c> when folders created later would pass it. Default 1000.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxNotifyMailboxes { get; set; } = 1000;
}
