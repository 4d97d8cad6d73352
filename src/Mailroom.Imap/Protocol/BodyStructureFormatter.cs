using System.Buffers;
using System.Globalization;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// BODYSTRUCTURE (extensible) and BODY (non-extensible) per RFC 9051 §7.5.2 and the body grammar of §9. Sizes and
/// line counts are of the encoded content in the file, from the parsed structure's offsets. Recursion follows the
/// structure, whose depth the parser bounds (<see cref="MessageLimits.MaxMimeDepth"/>).
/// </summary>
internal static class BodyStructureFormatter
{
    public static byte[] Format(BodyPart message, bool extensible, MessageLimits limits)
    {
        ArrayBufferWriter<byte> output = new(512);
        Write(output, message, extensible, limits);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, BodyPart part, bool extensible, MessageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(limits);
        if (part.Parts is { } parts)
        {
            WriteMultipart(output, part, parts, extensible, limits);
            return;
        }

        HeaderBlock header = part.Header;
        ImapWire.WriteAscii(output, "(");
        ImapWire.WriteQuotedOrLiteral(output, part.MediaType);
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, part.MediaSubtype);
        ImapWire.WriteAscii(output, " ");
        List<KeyValuePair<string, string>> parameters = ContentTypeParameters(header);
        WriteParameters(output, parameters, addDefaultCharset: part.IsText && !parameters.Exists(static p => p.Key is "charset" or "charset*"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, header.Get("Content-ID"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, header.Get("Content-Description"));
        ImapWire.WriteAscii(output, " ");
        string? encoding = header.Get("Content-Transfer-Encoding");
        ImapWire.WriteQuotedOrLiteral(output, string.IsNullOrEmpty(encoding) ? "7bit" : encoding);
        ImapWire.WriteAscii(output, " " + (part.End - part.HeadersEnd).ToString(CultureInfo.InvariantCulture));
        if (part.Message is { } inner)
        {
            // body-type-msg: envelope, body and line count of the encapsulated message (RFC 9051 §7.5.2).
            ImapWire.WriteAscii(output, " ");
            EnvelopeFormatter.Write(output, inner.Header, limits.MaxEnvelopeAddresses);
            ImapWire.WriteAscii(output, " ");
            Write(output, inner, extensible, limits);
            ImapWire.WriteAscii(output, " " + part.Lines.ToString(CultureInfo.InvariantCulture));
        }
        else if (part.IsText)
        {
            ImapWire.WriteAscii(output, " " + part.Lines.ToString(CultureInfo.InvariantCulture));
        }

        if (extensible)
        {
            // body-ext-1part: md5, disposition, language, location.
            ImapWire.WriteAscii(output, " ");
            ImapWire.WriteQuotedOrLiteral(output, header.Get("Content-MD5"));
            WriteExtensionTail(output, header);
        }

        ImapWire.WriteAscii(output, ")");
    }

    private static void WriteMultipart(IBufferWriter<byte> output, BodyPart multipart, IReadOnlyList<BodyPart> parts, bool extensible, MessageLimits limits)
    {
        ImapWire.WriteAscii(output, "(");
        if (parts.Count == 0)
        {
            // body-type-mpart needs at least one body; an empty multipart shows as one empty text part.
            ImapWire.WriteAscii(output, "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)");
        }

        foreach (BodyPart child in parts)
        {
            Write(output, child, extensible, limits);
        }

        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, multipart.MediaSubtype);
        if (extensible)
        {
            // body-ext-mpart: parameters, disposition, language, location.
            ImapWire.WriteAscii(output, " ");
            WriteParameters(output, ContentTypeParameters(multipart.Header), addDefaultCharset: false);
            WriteExtensionTail(output, multipart.Header);
        }

        ImapWire.WriteAscii(output, ")");
    }

    private static void WriteExtensionTail(IBufferWriter<byte> output, HeaderBlock header)
    {
        ImapWire.WriteAscii(output, " ");
        string? disposition = header.Get("Content-Disposition");
        string dispositionType = disposition is null ? string.Empty : RawParameters.Value(disposition);
        if (dispositionType.Length == 0)
        {
            ImapWire.WriteAscii(output, "NIL");
        }
        else
        {
            ImapWire.WriteAscii(output, "(");
            ImapWire.WriteQuotedOrLiteral(output, dispositionType);
            ImapWire.WriteAscii(output, " ");
            WriteParameters(output, RawParameters.Parse(disposition!), addDefaultCharset: false);
            ImapWire.WriteAscii(output, ")");
        }

        ImapWire.WriteAscii(output, " ");
        WriteLanguages(output, header.Get("Content-Language"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, header.Get("Content-Location"));
    }

    // body-fld-lang = nstring / "(" string *(SP string) ")"
    private static void WriteLanguages(IBufferWriter<byte> output, string? value)
    {
        string[] tags = value is null ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tags.Length == 0)
        {
            ImapWire.WriteAscii(output, "NIL");
            return;
        }

        if (tags.Length == 1)
        {
            ImapWire.WriteQuotedOrLiteral(output, tags[0]);
            return;
        }

        ImapWire.WriteAscii(output, "(");
        for (int i = 0; i < tags.Length; i++)
        {
            if (i > 0)
            {
                ImapWire.WriteAscii(output, " ");
            }

            ImapWire.WriteQuotedOrLiteral(output, tags[i]);
        }

        ImapWire.WriteAscii(output, ")");
    }

    private static List<KeyValuePair<string, string>> ContentTypeParameters(HeaderBlock header)
    {
        string? contentType = header.Get("Content-Type");
        return contentType is null ? [] : RawParameters.Parse(contentType);
    }

    // body-fld-param = "(" string SP string *(SP string SP string) ")" / NIL
    private static void WriteParameters(IBufferWriter<byte> output, List<KeyValuePair<string, string>> parameters, bool addDefaultCharset)
    {
        if (parameters.Count == 0 && !addDefaultCharset)
        {
            ImapWire.WriteAscii(output, "NIL");
            return;
        }

        ImapWire.WriteAscii(output, "(");
        bool first = true;
        if (addDefaultCharset)
        {
            // RFC 2045 §5.2: a text part without charset is US-ASCII.
            ImapWire.WriteAscii(output, "\"charset\" \"us-ascii\"");
            first = false;
        }

        foreach (KeyValuePair<string, string> parameter in parameters)
        {
            if (!first)
            {
                ImapWire.WriteAscii(output, " ");
            }

            first = false;
            ImapWire.WriteQuotedOrLiteral(output, parameter.Key);
            ImapWire.WriteAscii(output, " ");
            ImapWire.WriteQuotedOrLiteral(output, parameter.Value);
        }

        ImapWire.WriteAscii(output, ")");
    }
}
