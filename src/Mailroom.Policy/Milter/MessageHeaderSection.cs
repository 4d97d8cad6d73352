using System.Text;

namespace Mailroom.Policy.Milter;

/// <summary>
/// The header fields of a message, read from its start, and where its body begins. At most a bounded number of
/// bytes is held: a header section longer than that ends there for the milters, which see the rest as body, and the
/// fields past it are written back unedited, so the message is still passed on whole.
/// </summary>
internal sealed class MessageHeaderSection
{
    private MessageHeaderSection(List<MessageHeaderField> fields, long bodyOffset, bool emptyLine = false)
    {
        Fields = fields;
        BodyOffset = bodyOffset;
        EndsWithEmptyLine = emptyLine;
    }

    /// <summary>The empty line that ends the header is there, just before <see cref="BodyOffset"/>.</summary>
    public bool EndsWithEmptyLine { get; }

    public List<MessageHeaderField> Fields { get; }

    /// <summary>Offset in the content of the first body byte (after the empty line, when there is one).</summary>
    public long BodyOffset { get; }

    /// <summary>
    /// Reads the fields of <paramref name="content"/> (positioned at its start), reading at most <paramref name="maxBytes"/>:
    /// 16 KiB at first, more only while no empty line has ended the header (most header sections are a few KiB).
    /// </summary>
    public static async ValueTask<MessageHeaderSection> ReadAsync(Stream content, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(maxBytes, 16 * 1024)];
        int filled = 0;
        bool ended = false;
        bool endOfContent = false;
        while (!ended && filled < maxBytes)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, Math.Min(maxBytes, buffer.Length * 4));
            }

            int read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                endOfContent = true;
                break;
            }

            int from = Math.Max(0, filled - 3);
            filled += read;
            ended = buffer.AsSpan(from, filled - from).IndexOf("\n\r\n"u8) >= 0 || buffer.AsSpan(from, filled - from).IndexOf("\n\n"u8) >= 0
                || (filled >= 2 && buffer.AsSpan(0, 2).SequenceEqual("\r\n"u8));
        }

        bool complete = endOfContent || (content.CanSeek && content.Position >= content.Length);
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
                // A partial line cut at the limit: a field before it is whole unless the line continues it.
                if (name is not null && data[position] is not ((byte)' ' or (byte)'\t'))
                {
                    fields.Add(new MessageHeaderField(name, data[fieldStart..position].ToArray()));
                    name = null;
                }

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
                bool empty = line.SequenceEqual("\r\n"u8) || line.SequenceEqual("\n"u8);
                return new MessageHeaderSection(fields, empty ? lineEnd : position, empty);
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
