using System.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Cursor over an assembled command: tag, command name, then arguments, following the RFC 9051 §9 grammar.
/// Every Read* method throws <see cref="ImapParseException"/> (its message is the "BAD" text) on malformed input and
/// nothing else. A class rather than a ref struct so that the session can keep it across awaits; methods that take it
/// by <c>ref</c> work either way.
/// </summary>
internal sealed partial class ImapArgumentReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ImapCommandBuffer _command;
    private readonly ReadOnlyMemory<byte> _data;
    private int _position;

    public ImapArgumentReader(ImapCommandBuffer command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _command = command;
        _data = command.Content;
    }

    public bool AtEnd => _position >= _data.Length;

    /// <summary>Offset of the cursor in the command (for diagnostics).</summary>
    public int Position => _position;

    private ReadOnlySpan<byte> Span => _data.Span;

    /// <summary>RFC 9051 tag: 1*&lt;any ASTRING-CHAR except "+"&gt;.</summary>
    public string ReadTag()
    {
        int start = _position;
        while (!AtEnd && IsAStringChar(Span[_position]) && Span[_position] != (byte)'+')
        {
            _position++;
        }

        if (_position == start)
        {
            throw new ImapParseException("Missing or invalid tag");
        }

        return Encoding.ASCII.GetString(Span[start.._position]);
    }

    /// <summary>1*ATOM-CHAR, as written (callers upper-case command names and keywords).</summary>
    public string ReadAtom()
    {
        int start = _position;
        while (!AtEnd && IsAtomChar(Span[_position]))
        {
            _position++;
        }

        if (_position == start)
        {
            throw new ImapParseException(AtEnd ? "Missing argument" : "Invalid characters in atom");
        }

        return Encoding.ASCII.GetString(Span[start.._position]);
    }

    public bool TryReadSpace()
    {
        if (!AtEnd && Span[_position] == (byte)' ')
        {
            _position++;
            return true;
        }

        return false;
    }

    public void ReadSpace()
    {
        if (!TryReadSpace())
        {
            throw new ImapParseException(AtEnd ? "Missing argument" : "Expected a space");
        }
    }

    public void ReadEnd()
    {
        if (!AtEnd)
        {
            throw new ImapParseException("Unexpected characters at end of command");
        }
    }

    public bool PeekChar(char c) => !AtEnd && Span[_position] == (byte)c;

    public void ReadChar(char c)
    {
        if (!PeekChar(c))
        {
            throw new ImapParseException($"Expected '{c}'");
        }

        _position++;
    }

    /// <summary>astring = 1*ASTRING-CHAR / string (quoted or literal), as UTF-8 text.</summary>
    public string ReadAString()
    {
        if (AtEnd)
        {
            throw new ImapParseException("Missing argument");
        }

        byte b = Span[_position];
        if (b == (byte)'"' || b == (byte)'{')
        {
            return DecodeUtf8(ReadStringBytes(allowBinary: false, out _).Span);
        }

        int start = _position;
        while (!AtEnd && IsAStringChar(Span[_position]))
        {
            _position++;
        }

        if (_position == start)
        {
            throw new ImapParseException("Invalid characters in string");
        }

        return Encoding.ASCII.GetString(Span[start.._position]);
    }

    /// <summary>nstring = string / NIL; an atom is accepted too (as astring), but only the bare atom NIL is null.</summary>
    public string? ReadNString()
    {
        if (TryReadNil())
        {
            return null;
        }

        return ReadAString();
    }

    /// <summary>Reads the atom NIL (any case) when it is next and complete; otherwise leaves the cursor alone.</summary>
    public bool TryReadNil()
    {
        if (_position + 3 <= _data.Length
            && Ascii.EqualsIgnoreCase(Span.Slice(_position, 3), "NIL"u8)
            && (_position + 3 == _data.Length || !IsAStringChar(Span[_position + 3])))
        {
            _position += 3;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Reads <paramref name="keyword"/> (ASCII, any case) when it is next and not followed by another atom character;
    /// otherwise leaves the cursor alone.
    /// </summary>
    public bool TryReadKeyword(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        int end = _position + keyword.Length;
        if (end > _data.Length || (end < _data.Length && IsAStringChar(Span[end])))
        {
            return false;
        }

        for (int i = 0; i < keyword.Length; i++)
        {
            if (char.ToUpperInvariant((char)Span[_position + i]) != char.ToUpperInvariant(keyword[i]))
            {
                return false;
            }
        }

        _position = end;
        return true;
    }

    /// <summary>Next byte without consuming it; -1 at the end.</summary>
    internal int PeekByte() => AtEnd ? -1 : Span[_position];

    /// <summary>Reads bytes while <paramref name="accept"/> holds, as ASCII (callers only accept ASCII).</summary>
    internal string ReadWhile(Func<byte, bool> accept)
    {
        int start = _position;
        while (!AtEnd && accept(Span[_position]))
        {
            _position++;
        }

        return Encoding.ASCII.GetString(Span[start.._position]);
    }

    internal static bool IsAtomChar(byte b) =>
        b is > 0x20 and < 0x7F and not ((byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*' or (byte)'"' or (byte)'\\' or (byte)']');

    internal static bool IsAStringChar(byte b) => IsAtomChar(b) || b == (byte)']';

    internal static bool IsListChar(byte b) => IsAStringChar(b) || b == (byte)'%' || b == (byte)'*';

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ImapParseException("String is not valid UTF-8");
        }
    }

    // RFC 9051 §4.3: quoted = DQUOTE *QUOTED-CHAR DQUOTE; only \" and \\ are escapes; no CR, LF or NUL.
    // UTF-8 is accepted (IMAP4rev2 QUOTED-CHAR includes UTF8-2..4).
    private ReadOnlyMemory<byte> ReadQuoted()
    {
        _position++;
        int start = _position;
        int lineEnd = _command.NextLineEnd(_position);
        bool escaped = false;
        while (true)
        {
            if (_position >= lineEnd)
            {
                throw new ImapParseException("Unterminated quoted string");
            }

            byte b = Span[_position];
            if (b == (byte)'"')
            {
                break;
            }

            if (b == (byte)'\\')
            {
                if (_position + 1 >= lineEnd || Span[_position + 1] is not ((byte)'"' or (byte)'\\'))
                {
                    throw new ImapParseException("Invalid escape in quoted string");
                }

                escaped = true;
                _position += 2;
                continue;
            }

            if (b is 0 or (byte)'\r' or (byte)'\n')
            {
                throw new ImapParseException("Invalid character in quoted string");
            }

            _position++;
        }

        ReadOnlyMemory<byte> raw = _data[start.._position];
        _position++;
        if (!escaped)
        {
            return raw;
        }

        byte[] unescaped = new byte[raw.Length];
        int length = 0;
        ReadOnlySpan<byte> span = raw.Span;
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] == (byte)'\\')
            {
                i++;
            }

            unescaped[length++] = span[i];
        }

        return unescaped.AsMemory(0, length);
    }
}
