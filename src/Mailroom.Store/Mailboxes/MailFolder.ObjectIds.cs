namespace Mailroom.Store.Mailboxes;

/// <summary>What a message keeps across mailboxes (RFC 8474 EMAILID) and what it gets in each (RFC 8514 save date).</summary>
public abstract partial class MailFolder
{
    /// <summary>
    /// RFC 8474 §5.1 EMAILID: the same for the life of the message, and kept by COPY and MOVE (and by renaming INBOX,
    /// which moves its messages), so a client need not fetch a moved message again. Two messages delivered with the
    /// same content get distinct ids (the RFC allows both).
    /// </summary>
    public abstract string GetEmailId(MessageRecord record);

    /// <summary>
    /// RFC 8514 §2 save date: when the message entered this folder (delivery, APPEND, COPY, MOVE), unlike the internal
    /// date that COPY keeps. A message whose store cannot tell (a file another program wrote under a name without a
    /// time) answers its internal date, the best estimate of when it arrived.
    /// </summary>
    public abstract DateTimeOffset GetSaveDate(MessageRecord record);
}
