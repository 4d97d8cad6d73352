using System.Buffers;
using System.Globalization;
using System.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// A section-spec (RFC 9051 §6.4.5): a part path such as 1.2.3 (empty for the whole message), then HEADER,
/// HEADER.FIELDS (list), HEADER.FIELDS.NOT (list), TEXT, MIME or nothing.
/// </summary>
internal sealed record BodySection(IReadOnlyList<int> Part, SectionKind Kind, IReadOnlyList<string> Fields)
{
    /// <summary>
    /// The section as echoed in a FETCH response: <c>1.2.HEADER.FIELDS (SUBJECT FROM)</c>, without brackets. Field names
    /// are upper-cased as Dovecot does (field names are case-insensitive, RFC 9051 §6.4.5).
    /// </summary>
    public string ToWireString()
    {
        StringBuilder text = new();
        foreach (int part in Part)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(part.ToString(CultureInfo.InvariantCulture));
        }

        string? keyword = Kind switch
        {
            SectionKind.Header => "HEADER",
            SectionKind.HeaderFields => "HEADER.FIELDS",
            SectionKind.HeaderFieldsNot => "HEADER.FIELDS.NOT",
            SectionKind.Text => "TEXT",
            SectionKind.Mime => "MIME",
            _ => null,
        };
        if (keyword is null)
        {
            return text.ToString();
        }

        if (text.Length > 0)
        {
            text.Append('.');
        }

        text.Append(keyword);
        if (Kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot)
        {
            ArrayBufferWriter<byte> list = new();
            for (int i = 0; i < Fields.Count; i++)
            {
                if (i > 0)
                {
                    list.Write(" "u8);
                }

                ImapWire.WriteAString(list, Fields[i].ToUpperInvariant());
            }

            text.Append(" (").Append(Encoding.UTF8.GetString(list.WrittenSpan)).Append(')');
        }

        return text.ToString();
    }
}
