namespace Mailroom.Imap.Protocol;

/// <summary>Parses one fetch-att (RFC 9051 §9) including section, section-binary and partial.</summary>
internal static class FetchItemParser
{
    public static FetchItem ParseItem(ImapArgumentReader reader)
    {
        string name = reader.ReadWhile(static b => ImapArgumentReader.IsAtomChar(b) && b is not ((byte)'[' or (byte)'<'))
            .ToUpperInvariant();
        if (name.Length == 0)
        {
            throw new ImapParseException("Missing FETCH item");
        }

        bool hasSection = reader.PeekChar('[');
        FetchItem item = (name, hasSection) switch
        {
            ("FLAGS", false) => Simple(FetchItemKind.Flags),
            ("INTERNALDATE", false) => Simple(FetchItemKind.InternalDate),
            ("RFC822.SIZE", false) => Simple(FetchItemKind.Rfc822Size),
            ("ENVELOPE", false) => Simple(FetchItemKind.Envelope),
            ("BODY", false) => Simple(FetchItemKind.Body),
            ("BODYSTRUCTURE", false) => Simple(FetchItemKind.BodyStructure),
            ("UID", false) => Simple(FetchItemKind.Uid),
            ("RFC822", false) => Simple(FetchItemKind.Rfc822),
            ("RFC822.HEADER", false) => Simple(FetchItemKind.Rfc822Header),
            ("RFC822.TEXT", false) => Simple(FetchItemKind.Rfc822Text),
            ("MODSEQ", false) => Simple(FetchItemKind.ModSeq),
            ("EMAILID", false) => Simple(FetchItemKind.EmailId),
            ("THREADID", false) => Simple(FetchItemKind.ThreadId),
            ("SAVEDATE", false) => Simple(FetchItemKind.SaveDate),
            ("PREVIEW", false) => Simple(FetchItemKind.Preview) with { Lazy = TryReadPreviewModifiers(reader) },
            ("BODY", true) => WithPartial(reader, FetchItemKind.BodySection, ParseSection(reader), peek: false),
            ("BODY.PEEK", true) => WithPartial(reader, FetchItemKind.BodySection, ParseSection(reader), peek: true),
            ("BINARY", true) => WithPartial(reader, FetchItemKind.BinarySection, ParseBinarySection(reader), peek: false),
            ("BINARY.PEEK", true) => WithPartial(reader, FetchItemKind.BinarySection, ParseBinarySection(reader), peek: true),
            ("BINARY.SIZE", true) => new FetchItem(FetchItemKind.BinarySize, ParseBinarySection(reader), true, null, null),
            _ => throw new ImapParseException("Unknown FETCH item " + name),
        };
        return item;
    }

    private static FetchItem Simple(FetchItemKind kind) => new(kind, null, false, null, null);

    // RFC 8970 §5: fetch-att =/ "PREVIEW" [SP "(" preview-mod *(SP preview-mod) ")"], preview-mod = "LAZY". A " (" that
    // does not open "LAZY" belongs to the FETCH modifiers of a lone item ("FETCH 1 PREVIEW (CHANGEDSINCE 5)").
    private static bool TryReadPreviewModifiers(ImapArgumentReader reader)
    {
        if (!reader.TryReadText(" (LAZY"))
        {
            return false;
        }

        while (reader.TryReadText(" LAZY"))
        {
            // RFC 8970 §5 allows the modifier more than once; it means the same.
        }

        reader.ReadChar(')');
        return true;
    }

    private static FetchItem WithPartial(ImapArgumentReader reader, FetchItemKind kind, BodySection section, bool peek)
    {
        if (!reader.PeekChar('<'))
        {
            return new FetchItem(kind, section, peek, null, null);
        }

        // partial = "<" number64 "." nz-number64 ">" (RFC 9051 §9)
        reader.ReadChar('<');
        ulong offset = reader.ReadNumber64();
        reader.ReadChar('.');
        ulong length = reader.ReadNumber64();
        reader.ReadChar('>');
        if (length == 0)
        {
            throw new ImapParseException("Partial length must not be zero");
        }

        return new FetchItem(kind, section, peek, (long)offset, (long)length);
    }

    // section = "[" [section-spec] "]"; section-spec = section-msgtext / (section-part ["." section-text])
    private static BodySection ParseSection(ImapArgumentReader reader)
    {
        reader.ReadChar('[');
        string spec = reader.ReadWhile(static b => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'Z')
            or (>= (byte)'a' and <= (byte)'z') or (byte)'.');
        List<int> part = [];
        string[] components = spec.Length == 0 ? [] : spec.Split('.');
        int index = 0;
        while (index < components.Length && components[index].Length > 0 && char.IsAsciiDigit(components[index][0]))
        {
            part.Add(ParsePartNumber(components[index]));
            index++;
        }

        string keyword = string.Join('.', components, index, components.Length - index).ToUpperInvariant();
        SectionKind kind = keyword switch
        {
            "" => SectionKind.Full,
            "HEADER" => SectionKind.Header,
            "HEADER.FIELDS" => SectionKind.HeaderFields,
            "HEADER.FIELDS.NOT" => SectionKind.HeaderFieldsNot,
            "TEXT" => SectionKind.Text,
            "MIME" when part.Count > 0 => SectionKind.Mime,
            _ => throw new ImapParseException("Invalid section " + spec),
        };
        if (kind == SectionKind.Full && spec.EndsWith('.'))
        {
            throw new ImapParseException("Invalid section " + spec);
        }

        List<string> fields = [];
        if (kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot)
        {
            reader.ReadSpace();
            reader.ReadChar('(');
            while (true)
            {
                string field = reader.ReadAString();
                if (field.Length == 0 || field.Any(static c => c is <= ' ' or ':' or > '~'))
                {
                    throw new ImapParseException("Invalid header field name");
                }

                fields.Add(field);
                if (reader.PeekChar(')'))
                {
                    reader.ReadChar(')');
                    break;
                }

                reader.ReadSpace();
            }
        }

        reader.ReadChar(']');
        return new BodySection(part, kind, fields);
    }

    // section-binary = "[" [section-part] "]" (RFC 3516 §6)
    private static BodySection ParseBinarySection(ImapArgumentReader reader)
    {
        reader.ReadChar('[');
        string spec = reader.ReadWhile(static b => b is (>= (byte)'0' and <= (byte)'9') or (byte)'.');
        List<int> part = [];
        if (spec.Length > 0)
        {
            foreach (string component in spec.Split('.'))
            {
                part.Add(ParsePartNumber(component));
            }
        }

        reader.ReadChar(']');
        return new BodySection(part, SectionKind.Full, []);
    }

    // section-part = nz-number *("." nz-number)
    private static int ParsePartNumber(string text)
    {
        if (text.Length is 0 or > 9 || text[0] == '0' || !text.All(char.IsAsciiDigit))
        {
            throw new ImapParseException("Invalid part number " + text);
        }

        return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
