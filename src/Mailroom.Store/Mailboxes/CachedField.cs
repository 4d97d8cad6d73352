namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The protocol data the IMAP layer computes once per message and the index keeps. Stores size their per-message
/// arrays by <see cref="CachedFields.Count"/>, counted to the last member (<see cref="Preview"/>): a new field goes at
/// the end, and <see cref="CachedFields.Count"/> names it.
/// </summary>
public enum CachedField
{
    Envelope,
    BodyStructure,
    Body,

    /// <summary>SORT and THREAD keys (sent date, base subject, first addresses, Message-ID, References; RFC 5256).</summary>
    SortKeys,

    /// <summary>RFC 8970 PREVIEW: the start of the first text part as UTF-8 (empty when the message has none).</summary>
    Preview,
}
