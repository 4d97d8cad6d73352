using System.Buffers;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

/// <summary>Builds commands the way the session does (line, literal, line...) and other test inputs.</summary>
internal static class ProtocolWire
{
    /// <summary>Assembles wire text ("A1 LOGIN {5}\r\nalice\r\n") into a command buffer, splitting literal data
    /// into <paramref name="pieceSize"/>-byte pieces to exercise multi-part appends.</summary>
    public static ImapCommandBuffer Command(string wire, int pieceSize = int.MaxValue) => Command(Encoding.UTF8.GetBytes(wire), pieceSize);

    public static ImapCommandBuffer Command(byte[] wire, int pieceSize = int.MaxValue)
    {
        ImapCommandBuffer buffer = new();
        int position = 0;
        while (position < wire.Length)
        {
            int lineEnd = wire.AsSpan(position).IndexOf("\r\n"u8);
            int end = lineEnd < 0 ? wire.Length : position + lineEnd;
            ReadOnlySpan<byte> line = wire.AsSpan(position, end - position);
            buffer.AppendLine(line);
            position = Math.Min(wire.Length, end + 2);
            if (ImapCommandBuffer.TryGetLiteralMarker(line, out long size, out _, out _))
            {
                for (long done = 0; done < size && position < wire.Length;)
                {
                    int take = (int)Math.Min(Math.Min(pieceSize, size - done), wire.Length - position);
                    buffer.AppendLiteral(new ReadOnlySequence<byte>(wire, position, take));
                    position += take;
                    done += take;
                }
            }
        }

        return buffer;
    }

    public static ImapArgumentReader Reader(string wire) => new(Command(wire));

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>A message file with CRLF line ends made from LF text.</summary>
    public static MemoryStream Message(string text) => new(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")));

    public static (MemoryStream Stream, BodyPart Parsed) Parse(string text, MessageLimits? limits = null)
    {
        MemoryStream stream = Message(text);
        return (stream, MimeStructureParser.Parse(stream, limits ?? MessageLimits.Default));
    }

    /// <summary>The bytes of a file range, as FETCH sends them.</summary>
    public static byte[] Range(Stream stream, (long Start, long End) range)
    {
        byte[] bytes = new byte[range.End - range.Start];
        stream.Position = range.Start;
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>A range's content with its transfer encoding removed, as BINARY sends it.</summary>
    public static byte[] Decoded(Stream stream, (long Start, long End, ContentEncoding Encoding) range)
    {
        using var reader = new ContentReader(stream, range.Start, range.End, range.Encoding);
        using var output = new MemoryStream();
        byte[] chunk = new byte[7];
        int read;
        while ((read = reader.Read(chunk)) > 0)
        {
            output.Write(chunk, 0, read);
        }

        return output.ToArray();
    }
}
