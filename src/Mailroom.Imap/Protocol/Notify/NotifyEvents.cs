namespace Mailroom.Imap.Protocol.Notify;

/// <summary>The RFC 5465 §5 events this server can report (AnnotationChange and the METADATA events it cannot).</summary>
[Flags]
internal enum NotifyEvents
{
    None = 0,

    /// <summary>§5.1: a message arrived (EXISTS and the requested FETCH, or STATUS for another mailbox).</summary>
    MessageNew = 1,

    /// <summary>§5.2: a message left (EXPUNGE/VANISHED, or STATUS for another mailbox).</summary>
    MessageExpunge = 2,

    /// <summary>§5.3: flags changed (FETCH FLAGS, or STATUS for another mailbox).</summary>
    FlagChange = 4,

    /// <summary>§5.4: a mailbox was created, deleted or renamed (LIST).</summary>
    MailboxName = 8,

    /// <summary>§5.5: a mailbox was subscribed or unsubscribed (LIST).</summary>
    SubscriptionChange = 16,

    /// <summary>The events about messages, which need a watch on each mailbox.</summary>
    Message = MessageNew | MessageExpunge | FlagChange,

    /// <summary>The events about the mailbox list.</summary>
    Mailbox = MailboxName | SubscriptionChange,
}
