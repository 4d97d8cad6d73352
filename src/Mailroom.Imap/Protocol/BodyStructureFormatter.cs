using System.Buffers;
using System.Globalization;
using MimeKit;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// BODYSTRUCTURE (extensible) and BODY (non-extensible) per RFC 9051 §7.5.2 and the body grammar of §9. Sizes and
/// line counts are of the encoded content in the file, from <see cref="ImapMessageParser"/>'s offsets, so the message
/// must have been parsed by it.
/// </summary>
internal static class BodyStructureFormatter
{
    public static byte[] Format(MimeMessage message, bool extensible)
    {
        ArrayBufferWriter<byte> output = new(512);
        Write(output, message, extensible);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, MimeMessage message, bool extensible)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body is null)
        {
            // A message with no parseable body still has one (empty) text part.
            ImapWire.WriteAscii(output, "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)");
            return;
        }

        WriteEntity(output, message.Body, extensible);
    }

    private static void WriteEntity(IBufferWriter<byte> output, MimeEntity entity, bool extensible)
    {
        if (entity is Multipart multipart)
        {
            WriteMultipart(output, multipart, extensible);
            return;
        }

        EntityOffsets offsets = ImapMessageParser.GetOffsets(entity);
        ContentType type = entity.ContentType;
        HeaderList headers = entity.Headers;
        ImapWire.WriteAscii(output, "(");
        ImapWire.WriteQuotedOrLiteral(output, type.MediaType);
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, type.MediaSubtype);
        ImapWire.WriteAscii(output, " ");
        bool isText = type.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase);
        List<KeyValuePair<string, string>> parameters = ContentTypeParameters(headers);
        WriteParameters(output, parameters, addDefaultCharset: isText && !parameters.Exists(static p => p.Key is "charset" or "charset*"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, RawHeaders.Get(headers, "Content-ID"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, RawHeaders.Get(headers, "Content-Description"));
        ImapWire.WriteAscii(output, " ");
        string? encoding = RawHeaders.Get(headers, "Content-Transfer-Encoding");
        ImapWire.WriteQuotedOrLiteral(output, string.IsNullOrEmpty(encoding) ? "7bit" : encoding);
        ImapWire.WriteAscii(output, " " + (offsets.End - offsets.HeadersEnd).ToString(CultureInfo.InvariantCulture));
        if (entity is MessagePart { Message: { } inner })
        {
            // body-type-msg: envelope, body and line count of the encapsulated message (RFC 9051 §7.5.2).
            ImapWire.WriteAscii(output, " ");
            EnvelopeFormatter.Write(output, inner);
            ImapWire.WriteAscii(output, " ");
            Write(output, inner, extensible);
            ImapWire.WriteAscii(output, " " + offsets.Lines.ToString(CultureInfo.InvariantCulture));
        }
        else if (isText)
        {
            ImapWire.WriteAscii(output, " " + offsets.Lines.ToString(CultureInfo.InvariantCulture));
        }

        if (extensible)
        {
            // body-ext-1part: md5, disposition, language, location.
            ImapWire.WriteAscii(output, " ");
            ImapWire.WriteQuotedOrLiteral(output, RawHeaders.Get(headers, "Content-MD5"));
            WriteExtensionTail(output, entity);
        }

        ImapWire.WriteAscii(output, ")");
    }

    private static void WriteMultipart(IBufferWriter<byte> output, Multipart multipart, bool extensible)
    {
        ImapWire.WriteAscii(output, "(");
        if (multipart.Count == 0)
        {
            // body-type-mpart needs at least one body; an empty multipart shows as one empty text part.
            ImapWire.WriteAscii(output, "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)");
        }

        foreach (MimeEntity child in multipart)
        {
            WriteEntity(output, child, extensible);
        }

        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, multipart.ContentType.MediaSubtype);
        if (extensible)
        {
            // body-ext-mpart: parameters, disposition, language, location.
            ImapWire.WriteAscii(output, " ");
            WriteParameters(output, ContentTypeParameters(multipart.Headers), addDefaultCharset: false);
            WriteExtensionTail(output, multipart);
        }

        ImapWire.WriteAscii(output, ")");
    }

    private static void WriteExtensionTail(IBufferWriter<byte> output, MimeEntity entity)
    {
        ImapWire.WriteAscii(output, " ");
        string? disposition = RawHeaders.Get(entity.Headers, "Content-Disposition");
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
        WriteLanguages(output, RawHeaders.Get(entity.Headers, "Content-Language"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, RawHeaders.Get(entity.Headers, "Content-Location"));
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

    private static List<KeyValuePair<string, string>> ContentTypeParameters(HeaderList headers)
    {
        string? contentType = RawHeaders.Get(headers, "Content-Type");
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
