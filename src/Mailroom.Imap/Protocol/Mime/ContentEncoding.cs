namespace Mailroom.Imap.Protocol.Mime;

/// <summary>A Content-Transfer-Encoding the server can remove (RFC 2045 §6; RFC 3516 §4.2 UNKNOWN-CTE for others).</summary>
internal enum ContentEncoding
{
    /// <summary>7bit, 8bit, binary, none: the content is its own decoding.</summary>
    Identity,
    Base64,
    QuotedPrintable,
}
