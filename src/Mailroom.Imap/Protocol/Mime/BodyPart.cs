namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// A message or one of its body parts, located in the message file (RFC 2045, RFC 2046). A message is represented by
/// its body: the top of the file, or the content of a message/rfc822 part, is a part whose header is the message's
/// header. Offsets are byte positions in the file: the part's header is [<see cref="Begin"/>, <see cref="HeadersEnd"/>)
/// (its blank line included), its content [<see cref="HeadersEnd"/>, <see cref="End"/>). The line end before a
/// boundary line belongs to the boundary (RFC 2046 §5.1.1), so it is in no part's content.
/// </summary>
internal sealed class BodyPart
{
    public BodyPart(long begin, long headersEnd, HeaderBlock header, string mediaType, string mediaSubtype)
    {
        Begin = begin;
        HeadersEnd = headersEnd;
        Header = header;
        MediaType = mediaType;
        MediaSubtype = mediaSubtype;
    }

    public long Begin { get; }

    public long HeadersEnd { get; private set; }

    public long End { get; private set; }

    /// <summary>Line ends (LF) in the content: RFC 9051 body-fld-lines, counted as Dovecot and Cyrus do.</summary>
    public int Lines { get; private set; }

    public HeaderBlock Header { get; }

    /// <summary>The media type as written (or the RFC 2045 §5.2 / RFC 2046 §5.1.5 default), e.g. <c>text</c>.</summary>
    public string MediaType { get; }

    public string MediaSubtype { get; }

    /// <summary>The body parts of a multipart (possibly none); null for any other part.</summary>
    public IReadOnlyList<BodyPart>? Parts { get; private set; }

    /// <summary>The encapsulated message of a message/rfc822 or message/global part; null otherwise or when empty.</summary>
    public BodyPart? Message { get; private set; }

    public bool IsMultipart => Parts is not null;

    public bool IsText => MediaType.Equals("text", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// MESSAGE/RFC822 or MESSAGE/GLOBAL (RFC 9051 body-type-msg, RFC 6532 §3.7): the content is a message (even when it
    /// is empty or past the nesting limit, and <see cref="Message"/> is null).
    /// </summary>
    public bool IsMessage => MediaType.Equals("message", StringComparison.OrdinalIgnoreCase)
        && (MediaSubtype.Equals("rfc822", StringComparison.OrdinalIgnoreCase) || MediaSubtype.Equals("global", StringComparison.OrdinalIgnoreCase));

    /// <summary>Line ends before <see cref="End"/> in the whole file (the parser's bookkeeping).</summary>
    internal long LineFeedsAtEnd { get; private set; }

    internal void SetParts(IReadOnlyList<BodyPart> parts) => Parts = parts;

    internal void SetMessage(BodyPart message) => Message = message;

    /// <summary>Ends the content at <paramref name="end"/>; a header running past it is cut there too.</summary>
    internal void SetEnd(long end, long lineFeedsAtContentStart, long lineFeedsAtEnd)
    {
        End = end;
        HeadersEnd = Math.Min(HeadersEnd, end);
        LineFeedsAtEnd = lineFeedsAtEnd;
        Lines = (int)Math.Clamp(lineFeedsAtEnd - lineFeedsAtContentStart, 0, int.MaxValue);
    }

    /// <summary>Moves the end further: the part takes in what follows it (the parts past the parts limit).</summary>
    internal void ExtendEnd(long end, long lineFeedsAtEnd)
    {
        Lines = (int)Math.Clamp(Lines + (lineFeedsAtEnd - LineFeedsAtEnd), 0, int.MaxValue);
        End = end;
        LineFeedsAtEnd = lineFeedsAtEnd;
    }
}
