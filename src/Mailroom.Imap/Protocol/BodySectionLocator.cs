using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Where BODY[section] and BINARY[section] lie in a message file (RFC 9051 §6.4.5, RFC 3516 §4.2): byte ranges from
/// the parsed structure, so a section is sent from the file as it is, never re-serialised, and sizes are exactly what
/// a client reading the file would see.
/// </summary>
internal static class BodySectionLocator
{
    /// <summary>
    /// The range <paramref name="section"/> covers before any partial; empty (0, 0) when the part does not exist.
    /// HEADER and the HEADER.FIELDS forms are the header with its blank line (the fields are picked from it), TEXT
    /// starts after it, MIME is a part's own header.
    /// </summary>
    public static (long Start, long End) Locate(BodyPart message, long fileLength, BodySection section)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(section);
        if (section.Part.Count == 0 && section.Kind == SectionKind.Full)
        {
            return (0, fileLength);
        }

        if (!PartResolver.TryResolve(message, section.Part, out BodyPart? part, out BodyPart? encapsulated))
        {
            return (0, 0);
        }

        switch (section.Kind)
        {
            case SectionKind.Full:
                return Clamp(part!.HeadersEnd, part.End, fileLength);
            case SectionKind.Mime:
                return Clamp(part!.Begin, part.HeadersEnd, fileLength);
        }

        // HEADER, HEADER.FIELDS[.NOT] and TEXT apply to a message: the top one, or one inside a message/rfc822 part.
        if (encapsulated is null)
        {
            return (0, 0);
        }

        return section.Kind == SectionKind.Text
            ? Clamp(encapsulated.HeadersEnd, section.Part.Count == 0 ? fileLength : encapsulated.End, fileLength)
            : Clamp(encapsulated.Begin, encapsulated.HeadersEnd, fileLength);
    }

    /// <summary>
    /// The range of BINARY[<paramref name="path"/>] and the encoding to remove from it; throws
    /// <see cref="UnknownCteException"/> for an encoding other than 7bit, 8bit, binary, base64 and quoted-printable.
    /// </summary>
    public static (long Start, long End, ContentEncoding Encoding) LocateBinary(BodyPart message, long fileLength, IReadOnlyList<int> path)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(path);
        if (path.Count == 0)
        {
            return (0, fileLength, ContentEncoding.Identity);
        }

        if (!PartResolver.TryResolve(message, path, out BodyPart? part, out _))
        {
            return (0, 0, ContentEncoding.Identity);
        }

        (long start, long end) = Clamp(part!.HeadersEnd, part.End, fileLength);
        return (start, end, ContentReader.EncodingOf(part));
    }

    /// <summary>
    /// RFC 9051 §6.4.5 partial &lt;origin.length&gt; applied to [<paramref name="start"/>, <paramref name="end"/>): an
    /// origin past the end gives an empty range, a length past it is cut short; no partial (null) keeps the range.
    /// </summary>
    public static (long Start, long End) ApplyPartial(long start, long end, long? offset, long? length)
    {
        if (offset is not long origin)
        {
            return (start, end);
        }

        if (origin >= end - start)
        {
            return (end, end);
        }

        long from = start + origin;
        return (from, length is long count && count < end - from ? from + count : end);
    }

    private static (long Start, long End) Clamp(long start, long end, long fileLength)
    {
        end = Math.Min(end, fileLength);
        return end <= start ? (0, 0) : (start, end);
    }
}
