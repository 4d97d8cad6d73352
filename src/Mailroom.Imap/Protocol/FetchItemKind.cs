namespace Mailroom.Imap.Protocol;

/// <summary>
/// FETCH data items (RFC 9051 §6.4.5, RFC 3501 §6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ, RFC 8474 EMAILID and
/// THREADID, RFC 8514 SAVEDATE, RFC 8970 PREVIEW).
/// <see cref="Body"/> is the non-extensible BODYSTRUCTURE ("BODY" without a section).
/// </summary>
internal enum FetchItemKind
{
    Flags,
    InternalDate,
    Rfc822Size,
    Envelope,
    Body,
    BodyStructure,
    Uid,
    Rfc822,
    Rfc822Header,
    Rfc822Text,
    BodySection,
    BinarySection,
    BinarySize,
    ModSeq,
    EmailId,
    ThreadId,
    SaveDate,
    Preview,
}
