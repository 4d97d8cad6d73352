namespace Mailroom.Store.Mailboxes;

/// <summary>What the index knows of one message of a folder.</summary>
/// <param name="Uid">Its UID (RFC 9051 §2.3.1.1), unique and never reused within the folder's UIDVALIDITY.</param>
/// <param name="BaseName">The Maildir base name: the file name without its <c>:2,</c> info suffix.</param>
/// <param name="Size">Exact file size in bytes (RFC822.SIZE; files are stored with CRLF line ends).</param>
/// <param name="InternalDate">Delivery or APPEND time (the file's modification time).</param>
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
    ulong ModSeq);
