using System.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// HEADER.FIELDS and HEADER.FIELDS.NOT over a raw header block: whole fields (with their folded continuation lines)
/// whose names match case-insensitively, in file order, followed by the blank line (RFC 9051 §6.4.5). Linear in the
/// header and the list: the names are looked up in a set, not compared one by one with every field.
/// </summary>
internal static class HeaderFieldFilter
{
    public static ReadOnlyMemory<byte> Filter(ReadOnlySpan<byte> header, IReadOnlyList<string> names, bool include)
    {
        HashSet<string> wanted = new(names, StringComparer.OrdinalIgnoreCase);
        using MemoryStream output = new();
        int position = 0;
        while (position < header.Length)
        {
            int fieldEnd = FindFieldEnd(header, position);
            ReadOnlySpan<byte> field = header[position..fieldEnd];
            position = fieldEnd;
            if (IsBlankLine(field))
            {
                break;
            }

            int colon = field.IndexOf((byte)':');
            string name = colon < 0 ? string.Empty : Encoding.Latin1.GetString(field[..colon]).TrimEnd(' ', '\t');
            bool listed = colon >= 0 && wanted.Contains(name);
            if (listed == include && colon >= 0)
            {
                output.Write(field);
                if (field[^1] != (byte)'\n')
                {
                    output.Write("\r\n"u8);
                }
            }
        }

        output.Write("\r\n"u8);
        return output.ToArray();
    }

    private static bool IsBlankLine(ReadOnlySpan<byte> line) => line.SequenceEqual("\r\n"u8) || line.SequenceEqual("\n"u8);

    // A field is its first line plus every following line that starts with SP or HTAB (RFC 5322 §2.2.3).
    private static int FindFieldEnd(ReadOnlySpan<byte> header, int start)
    {
        int position = start;
        while (true)
        {
            int newline = header[position..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return header.Length;
            }

            position += newline + 1;
            if (position >= header.Length || header[position] is not ((byte)' ' or (byte)'\t') || IsBlankLine(header[start..position]))
            {
                return position;
            }
        }
    }
}
