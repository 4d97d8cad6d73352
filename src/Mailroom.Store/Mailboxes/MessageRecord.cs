namespace Mailroom.Store.Mailboxes;

/// <summary>What the store knows of one message of a folder.</summary>
/// <param name="Uid">Its UID (RFC 9051 §2.3.1.1), unique and never reused within the folder's UIDVALIDITY.</param>
/// <param name="BaseName">
/// Its name in the store, unique and never reused, unchanged by flag changes (Maildir: the file name without its
/// <c>:2,</c> info suffix). POP3's UIDL is made from it, so it must survive restarts.
/// </param>
/// <param name="Size">Exact size in bytes (RFC822.SIZE; messages are stored with CRLF line ends).</param>
/// <param name="InternalDate">Delivery or APPEND time.</param>
/// <param name="Flags">The system flags.</param>
/// <param name="Keywords">Keywords, sorted ordinal-ignore-case, without duplicates.</param>
/// <param name="ModSeq">RFC 7162: the mod-sequence of the last change to this message (at least 1).</param>
public sealed record MessageRecord(
    uint Uid,
    string BaseName,
    long Size,
    DateTimeOffset InternalDate,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    ulong ModSeq)
{
    /// <summary>
    /// The size with CRLF line ends as POP3 sends it, when the store knows it without reading the content (Maildir:
    /// the name's <c>W=</c> field); -1 otherwise. Read it through <see cref="MailFolder.GetWireSize"/>.
    /// </summary>
    public long WireSize { get; init; } = -1;
}
