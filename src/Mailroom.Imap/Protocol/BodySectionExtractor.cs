using MimeKit;
using MimeKit.Encodings;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Cuts BODY[section] and BINARY[section] out of a message file's bytes (RFC 9051 §6.4.5, RFC 3516 §4.2). Offsets
/// come from <see cref="ImapMessageParser"/>; bytes are copied from the file, never re-serialised, so sizes and
/// contents are exactly what the client would see by reading the file.
/// </summary>
internal static class BodySectionExtractor
{
    /// <summary>
    /// The raw bytes of <paramref name="section"/> before any partial is applied; empty when the part does not exist.
    /// HEADER and the HEADER.FIELDS forms end with the blank line; TEXT starts after it; MIME is a part's own header.
    /// </summary>
    public static ReadOnlyMemory<byte> Extract(Stream message, MimeMessage parsed, BodySection section)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(section);
        parsed = EnsureOffsets(message, parsed);
        if (section.Part.Count == 0 && section.Kind == SectionKind.Full)
        {
            return ReadRange(message, 0, message.Length);
        }

        if (!PartResolver.TryResolve(parsed, section.Part, out MimeEntity? entity, out MimeMessage? encapsulated) || entity is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        EntityOffsets part = ImapMessageParser.GetOffsets(entity);
        switch (section.Kind)
        {
            case SectionKind.Full:
                return ReadRange(message, part.HeadersEnd, part.End);
            case SectionKind.Mime:
                return ReadRange(message, part.Begin, part.HeadersEnd);
        }

        // HEADER, HEADER.FIELDS[.NOT] and TEXT apply to a message: the top one, or one inside a message/rfc822 part.
        if (encapsulated is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        EntityOffsets target = ImapMessageParser.GetOffsets(encapsulated);
        long messageEnd = section.Part.Count == 0 ? message.Length : target.End;
        return section.Kind switch
        {
            SectionKind.Header => ReadRange(message, target.Begin, target.HeadersEnd),
            SectionKind.Text => ReadRange(message, target.HeadersEnd, messageEnd),
            SectionKind.HeaderFields => HeaderFieldFilter.Filter(ReadRange(message, target.Begin, target.HeadersEnd).Span, section.Fields, include: true),
            _ => HeaderFieldFilter.Filter(ReadRange(message, target.Begin, target.HeadersEnd).Span, section.Fields, include: false),
        };
    }

    /// <summary>
    /// BINARY[part]: the part's content with its Content-Transfer-Encoding removed (RFC 3516 §4.2). Multiparts and
    /// message/rfc822 parts can only be 7bit/8bit/binary (RFC 2045 §6.4), so their raw content is their decoded content.
    /// Throws <see cref="UnknownCteException"/> for an encoding other than 7bit, 8bit, binary, base64 and quoted-printable.
    /// </summary>
    public static ReadOnlyMemory<byte> ExtractBinary(Stream message, MimeMessage parsed, IReadOnlyList<int> part)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(part);
        parsed = EnsureOffsets(message, parsed);
        if (part.Count == 0)
        {
            return ReadRange(message, 0, message.Length);
        }

        if (!PartResolver.TryResolve(parsed, part, out MimeEntity? entity, out _) || entity is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        EntityOffsets offsets = ImapMessageParser.GetOffsets(entity);
        ReadOnlyMemory<byte> raw = ReadRange(message, offsets.HeadersEnd, offsets.End);
        if (entity is not MimePart)
        {
            return raw;
        }

        string encoding = (entity.Headers[HeaderId.ContentTransferEncoding] ?? string.Empty).Trim().ToUpperInvariant();
        return encoding switch
        {
            "" or "7BIT" or "8BIT" or "BINARY" => raw,
            "BASE64" => Decode(new Base64Decoder(), raw),
            "QUOTED-PRINTABLE" => Decode(new QuotedPrintableDecoder(), raw),
            _ => throw new UnknownCteException("Unknown Content-Transfer-Encoding " + encoding),
        };
    }

    /// <summary>
    /// Applies a partial &lt;offset.length&gt; (RFC 9051 §6.4.5): an origin beyond the end gives an empty string and a
    /// length past the end is cut short. No partial (null) returns the data unchanged.
    /// </summary>
    public static ReadOnlyMemory<byte> ApplyPartial(ReadOnlyMemory<byte> data, long? offset, long? length)
    {
        if (offset is not long origin)
        {
            return data;
        }

        if (origin >= data.Length)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        long available = data.Length - origin;
        return data.Slice((int)origin, (int)Math.Min(available, length ?? available));
    }

    private static ReadOnlyMemory<byte> Decode(IMimeDecoder decoder, ReadOnlyMemory<byte> raw)
    {
        byte[] input = raw.ToArray();
        byte[] output = new byte[decoder.EstimateOutputLength(input.Length)];
        int length = decoder.Decode(input, 0, input.Length, output);
        return output.AsMemory(0, length);
    }

    private static MimeMessage EnsureOffsets(Stream message, MimeMessage parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return ImapMessageParser.TryGetOffsets(parsed, out _) ? parsed : ImapMessageParser.Parse(message);
    }

    private static ReadOnlyMemory<byte> ReadRange(Stream stream, long start, long end)
    {
        end = Math.Min(end, stream.Length);
        if (end <= start)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        byte[] bytes = new byte[end - start];
        stream.Position = start;
        stream.ReadExactly(bytes);
        return bytes;
    }
}
