using System.Runtime.InteropServices;

namespace Mailroom.Imap.Protocol;

/// <summary>Strings and literals (RFC 9051 §4.3), including APPEND's message data, which may be spooled to a file.</summary>
internal sealed partial class ImapArgumentReader
{
    /// <summary>
    /// Message data for APPEND: a literal (including RFC 3516 literal8 <c>~{n}</c>) or a quoted string, as a
    /// read-only stream over the command buffer or over the literal's spool file (<see cref="SpooledLiteral"/>).
    /// The caller disposes the stream; the data stays valid until the command buffer is reset.
    /// </summary>
    /// <exception cref="IOException">The literal was spooled but its file could not be written.</exception>
    public Stream ReadMessage(out bool binary)
    {
        if (AtEnd || Span[_position] is not ((byte)'"' or (byte)'{' or (byte)'~'))
        {
            throw new ImapParseException("Expected a literal or a quoted string");
        }

        binary = false;
        if (Span[_position] == (byte)'"')
        {
            return AsStream(ReadQuoted());
        }

        binary = ReadBinaryPrefix(allowBinary: true);
        long size = ReadLiteralMarker();
        if (_command.SpooledLiteralAt(_position) is not { } spooled)
        {
            return AsStream(ReadLiteralData(size, binary));
        }

        if (!binary && spooled.ContainsNul)
        {
            throw new ImapParseException("NUL in a literal");
        }

        // A spooled literal takes no bytes of the buffer: the next line continues at the same position.
        return spooled.OpenRead();
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> data)
    {
        if (!MemoryMarshal.TryGetArray(data, out ArraySegment<byte> bytes))
        {
            bytes = data.ToArray();
        }

        return new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
    }

    private ReadOnlyMemory<byte> ReadStringBytes(bool allowBinary, out bool binary)
    {
        binary = false;
        if (Span[_position] == (byte)'"')
        {
            return ReadQuoted();
        }

        binary = ReadBinaryPrefix(allowBinary);
        long size = ReadLiteralMarker();
        if (_command.SpooledLiteralAt(_position) is not null)
        {
            // Only an APPEND literal too large for memory is spooled; no other argument may be that long.
            throw new ImapParseException("Literal too large for this argument");
        }

        return ReadLiteralData(size, binary);
    }

    // RFC 3516 literal8 starts with "~"; the cursor is left on the "{".
    private bool ReadBinaryPrefix(bool allowBinary)
    {
        if (Span[_position] != (byte)'~')
        {
            return false;
        }

        if (!allowBinary)
        {
            throw new ImapParseException("Binary literal not allowed here");
        }

        _position++;
        if (!PeekChar('{'))
        {
            throw new ImapParseException("Expected '{' after '~'");
        }

        return true;
    }

    // literal = "{" number64 ["+"] "}" CRLF *CHAR8 (RFC 9051, RFC 7888); literal8 = "~{" number64 ["+"] "}" CRLF *OCTET
    // (RFC 3516). The marker must be the end of a line the client sent, and the data must be what the session read.
    // Returns the announced size, the cursor on the data.
    private long ReadLiteralMarker()
    {
        _position++;
        long size = 0;
        int digits = 0;
        while (!AtEnd && Span[_position] is >= (byte)'0' and <= (byte)'9')
        {
            if (size > (long.MaxValue - 9) / 10)
            {
                throw new ImapParseException("Literal size too large");
            }

            size = (size * 10) + (Span[_position] - '0');
            digits++;
            _position++;
        }

        if (digits == 0)
        {
            throw new ImapParseException("Invalid literal size");
        }

        if (PeekChar('+'))
        {
            _position++;
        }

        ReadChar('}');
        if (!_command.IsLineEnd(_position))
        {
            throw new ImapParseException("Literal marker must end the line");
        }

        long available = _command.LiteralLengthAt(_position);
        if (available != size)
        {
            throw new ImapParseException("Literal data does not match its announced size");
        }

        return size;
    }

    private ReadOnlyMemory<byte> ReadLiteralData(long size, bool binary)
    {
        ReadOnlyMemory<byte> data = _data.Slice(_position, (int)size);
        if (!binary && data.Span.Contains((byte)0))
        {
            // CHAR8 excludes NUL; only literal8 may carry it (RFC 3516 §4.2).
            throw new ImapParseException("NUL in a literal");
        }

        _position += (int)size;
        return data;
    }
}
