using System.Buffers;
using Mailroom.Imap.Protocol;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// Assembles wire bytes into an <see cref="ImapCommandBuffer"/> as the IMAP session does: lines up to LF (a CR before
/// it dropped), and after a line ending in a literal marker exactly that many bytes of literal data, appended in
/// pieces chosen by a seed. A command whose literal is cut short by the end of the input is incomplete (the
/// session would still be waiting for it).
/// </summary>
internal static class ImapCommandAssembler
{
    // The session refuses larger commands before reading them (ImapOptions.MaxCommandSize's default).
    private const long MaxCommandSize = 1024 * 1024;

    public static ImapCommandBuffer? Assemble(ReadOnlySpan<byte> wire, byte seed)
    {
        ImapCommandBuffer buffer = new();
        int position = 0;
        while (position < wire.Length)
        {
            int lineFeed = wire[position..].IndexOf((byte)'\n');
            int end = lineFeed < 0 ? wire.Length : position + lineFeed;
            ReadOnlySpan<byte> line = wire[position..end];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.Contains((byte)0))
            {
                return null;
            }

            buffer.AppendLine(line);
            position = Math.Min(wire.Length, end + 1);
            if (!ImapCommandBuffer.TryGetLiteralMarker(line, out long size, out _, out _))
            {
                // The command ends with this line; anything after it would be the next command.
                return buffer;
            }

            if (size > MaxCommandSize || buffer.Length + size > MaxCommandSize || size > wire.Length - position)
            {
                return null;
            }

            byte[] literal = wire.Slice(position, (int)size).ToArray();
            int offset = 0;
            foreach (int length in Chunking.Lengths(literal.Length, seed))
            {
                buffer.AppendLiteral(new ReadOnlySequence<byte>(literal, offset, length));
                offset += length;
            }

            if (size == 0)
            {
                buffer.AppendLiteral(ReadOnlySequence<byte>.Empty);
            }

            position += (int)size;
        }

        return null;
    }
}
