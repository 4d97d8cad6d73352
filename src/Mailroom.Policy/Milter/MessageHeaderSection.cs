using System.Text;

namespace Mailroom.Policy.Milter;

/// <summary>
/// The header fields of a message, read from its start, and where its body begins. At most a bounded number of
/// bytes is held: a header section longer than that ends there, and the rest of it is treated as body (as Postfix treats
/// header lines past its header_size_limit), so the message is still passed on whole.
/// </summary>
internal sealed class MessageHeaderSection
{
    private MessageHeaderSection(List<MessageHeaderField> fields, long bodyOffset)
    {
        Fields = fields;
        BodyOffset = bodyOffset;
    }

    public List<MessageHeaderField> Fields { get; }

    /// <summary>Offset in the content of the first body byte (after the empty line, when there is one).</summary>
    public long BodyOffset { get; }

    /// <summary>Reads the fields of <paramref name="content"/> (positioned at its start), reading at most <paramref name="maxBytes"/>.</summary>
    public static async ValueTask<MessageHeaderSection> ReadAsync(Stream content, int maxBytes, CancellationToken cancellationToken)
    {
        // Only as much as the message has, when that is known: most header sections are a few KiB.
        int size = content.CanSeek ? (int)Math.Min(maxBytes, Math.Max(0, content.Length - content.Position)) : maxBytes;
        var buffer = new byte[size];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        bool complete = filled < buffer.Length || (content.CanSeek && content.Position >= content.Length);
        return Parse(buffer.AsSpan(0, filled), complete);
    }

    /// <param name="complete">The span holds the whole message: a last line without CRLF still counts.</param>
    internal static MessageHeaderSection Parse(ReadOnlySpan<byte> data, bool complete)
    {
        var fields = new List<MessageHeaderField>();
        int position = 0;
        int fieldStart = -1;
        string? name = null;
        while (position < data.Length)
        {
            int newline = data[position..].IndexOf((byte)'\n');
            int lineEnd = newline < 0 ? (complete ? data.Length : -1) : position + newline + 1;
            if (lineEnd < 0)
            {
                break;
            }

            ReadOnlySpan<byte> line = data[position..lineEnd];
            bool continuation = line.Length > 0 && (line[0] == (byte)' ' || line[0] == (byte)'\t');
            if (continuation && name is not null)
            {
                position = lineEnd;
                continue;
            }

            if (name is not null)
            {
                fields.Add(new MessageHeaderField(name, data[fieldStart..position].ToArray()));
                name = null;
            }

            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsFieldName(line[..colon]))
            {
                // The empty line (or the first line that is no field) starts the body; RFC 5322 §2.1.
                int bodyStart = line.SequenceEqual("\r\n"u8) || line.SequenceEqual("\n"u8) ? lineEnd : position;
                return new MessageHeaderSection(fields, bodyStart);
            }

            name = Encoding.ASCII.GetString(line[..colon]);
            fieldStart = position;
            position = lineEnd;
        }

        if (name is not null && complete)
        {
            fields.Add(new MessageHeaderField(name, data[fieldStart..position].ToArray()));
            fieldStart = position;
        }

        return new MessageHeaderSection(fields, name is null || complete ? position : fieldStart);
    }

    /// <summary>RFC 5322 §3.6.8: printable US-ASCII except the colon.</summary>
    internal static bool IsFieldName(ReadOnlySpan<byte> name)
    {
        foreach (byte b in name)
        {
            if (b is < 33 or > 126)
            {
                return false;
            }
        }

        return true;
    }
}
