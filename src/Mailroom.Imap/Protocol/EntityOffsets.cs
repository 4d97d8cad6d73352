namespace Mailroom.Imap.Protocol;

/// <summary>
/// Where a MIME entity or message lies in the file: <see cref="Begin"/> is its first header byte,
/// <see cref="HeadersEnd"/> the first content byte (after the blank line), <see cref="End"/> the end of its content
/// (excluding the CRLF that belongs to the next boundary, RFC 2046 §5.1.1). <see cref="Lines"/> counts content lines.
/// </summary>
internal sealed record EntityOffsets(long Begin, long HeadersEnd, long End, int Lines);
