namespace Mailroom.Imap.Protocol.Notify;

/// <summary>RFC 5465 §6 filter-mailboxes: which mailboxes an event group is about.</summary>
internal enum NotifyFilterKind
{
    /// <summary>The selected mailbox; its expunges are reported at once, even during FETCH, STORE and SEARCH.</summary>
    Selected,

    /// <summary>The selected mailbox; its expunges wait for a command that may report them (RFC 9051 §7.5.1).</summary>
    SelectedDelayed,

    /// <summary>The mailboxes that receive mail (here: INBOX, the only delivery target).</summary>
    Inboxes,

    /// <summary>Every mailbox of the user's personal namespace.</summary>
    Personal,

    /// <summary>Every subscribed mailbox.</summary>
    Subscribed,

    /// <summary>The named mailboxes and everything below them.</summary>
    Subtree,

    /// <summary>Exactly the named mailboxes.</summary>
    Mailboxes,
}
