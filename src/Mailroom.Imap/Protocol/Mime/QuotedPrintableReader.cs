namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// Decodes quoted-printable (RFC 2045 §6.7) a chunk at a time, as BINARY needs it (RFC 3516 §4.2): trailing white
/// space on a line is removed (rule 3), <c>=</c> followed by optional white space and a line end is a soft line break
/// (rule 5), <c>=XX</c> is an octet, and every hard line break comes out as CRLF. An <c>=</c> that starts no valid
/// sequence is kept as it is (the RFC's advice to a robust decoder). State is kept between chunks, so a sequence split
/// across two reads decodes the same; held white space is bounded by <see cref="MaxHeldWhiteSpace"/>, past which it is
/// written out (a line of thousands of blanks is not a line an encoder wrote).
/// </summary>
internal sealed class QuotedPrintableReader
{
    /// <summary>White space held back while it may still turn out to end a line.</summary>
    public const int MaxHeldWhiteSpace = 256;

    private readonly byte[] _held = new byte[MaxHeldWhiteSpace];
    private int _heldCount;
    private State _state;
    private byte _firstHex;

    private enum State
    {
        Text,
        CarriageReturn,
        AfterEquals,
        FirstHexDigit,
        EqualsWhiteSpace,
        EqualsCarriageReturn,
    }

    /// <summary>The most bytes <see cref="Decode"/> can write for <paramref name="inputLength"/> bytes of input.</summary>
    public static int MaxOutputLength(int inputLength) => (2 * inputLength) + (2 * MaxHeldWhiteSpace) + 8;

    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/> (at least <see cref="MaxOutputLength"/> long).</summary>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int written = 0;
        foreach (byte b in input)
        {
            written = Step(b, output, written);
        }

        return written;
    }

    /// <summary>The end of the content: what is still held is written out (trailing white space is dropped).</summary>
    public int Finish(Span<byte> output)
    {
        int written = 0;
        switch (_state)
        {
            case State.CarriageReturn:
                output[written++] = (byte)'\r';
                break;
            case State.AfterEquals:
                output[written++] = (byte)'=';
                break;
            case State.FirstHexDigit:
                output[written++] = (byte)'=';
                output[written++] = _firstHex;
                break;
            case State.EqualsCarriageReturn:
                output[written++] = (byte)'=';
                written = Release(output, written);
                output[written++] = (byte)'\r';
                break;
        }

        _heldCount = 0;
        _state = State.Text;
        return written;
    }

    private int Step(byte b, Span<byte> output, int written)
    {
        switch (_state)
        {
            case State.CarriageReturn:
                _state = State.Text;
                if (b == (byte)'\n')
                {
                    return HardBreak(output, written);
                }

                // A CR alone is text: the white space before it was not trailing.
                written = Release(output, written);
                output[written++] = (byte)'\r';
                return Step(b, output, written);

            case State.AfterEquals:
                if (IsHex(b))
                {
                    _firstHex = b;
                    _state = State.FirstHexDigit;
                    return written;
                }

                if (b is (byte)' ' or (byte)'\t')
                {
                    _state = State.EqualsWhiteSpace;
                    return Hold(b, output, written);
                }

                if (b == (byte)'\r')
                {
                    _state = State.EqualsCarriageReturn;
                    return written;
                }

                _state = State.Text;
                if (b == (byte)'\n')
                {
                    return written;
                }

                output[written++] = (byte)'=';
                return Step(b, output, written);

            case State.FirstHexDigit:
                _state = State.Text;
                if (IsHex(b))
                {
                    output[written++] = (byte)((HexValue(_firstHex) << 4) | HexValue(b));
                    return written;
                }

                output[written++] = (byte)'=';
                output[written++] = _firstHex;
                return Step(b, output, written);

            case State.EqualsWhiteSpace:
                if (b is (byte)' ' or (byte)'\t')
                {
                    return Hold(b, output, written);
                }

                if (b == (byte)'\r')
                {
                    _state = State.EqualsCarriageReturn;
                    return written;
                }

                if (b == (byte)'\n')
                {
                    // Rule 3: white space after a soft line break's "=" is transport padding.
                    _heldCount = 0;
                    _state = State.Text;
                    return written;
                }

                _state = State.Text;
                output[written++] = (byte)'=';
                written = Release(output, written);
                return Step(b, output, written);

            case State.EqualsCarriageReturn:
                _state = State.Text;
                if (b == (byte)'\n')
                {
                    _heldCount = 0;
                    return written;
                }

                output[written++] = (byte)'=';
                written = Release(output, written);
                output[written++] = (byte)'\r';
                return Step(b, output, written);

            default:
                switch (b)
                {
                    case (byte)' ' or (byte)'\t':
                        return Hold(b, output, written);
                    case (byte)'\r':
                        _state = State.CarriageReturn;
                        return written;
                    case (byte)'\n':
                        return HardBreak(output, written);
                    case (byte)'=':
                        written = Release(output, written);
                        _state = State.AfterEquals;
                        return written;
                    default:
                        written = Release(output, written);
                        output[written++] = b;
                        return written;
                }
        }
    }

    private int HardBreak(Span<byte> output, int written)
    {
        // Rule 3: trailing white space is not part of the text.
        _heldCount = 0;
        output[written++] = (byte)'\r';
        output[written++] = (byte)'\n';
        return written;
    }

    private int Hold(byte b, Span<byte> output, int written)
    {
        if (_heldCount == MaxHeldWhiteSpace)
        {
            if (_state == State.EqualsWhiteSpace)
            {
                // Far too long for transport padding: the "=" and its blanks were text.
                output[written++] = (byte)'=';
                _state = State.Text;
            }

            written = Release(output, written);
        }

        _held[_heldCount++] = b;
        return written;
    }

    private int Release(Span<byte> output, int written)
    {
        _held.AsSpan(0, _heldCount).CopyTo(output[written..]);
        written += _heldCount;
        _heldCount = 0;
        return written;
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'F') or (>= (byte)'a' and <= (byte)'f');

    private static int HexValue(byte b) => b switch
    {
        <= (byte)'9' => b - '0',
        <= (byte)'F' => b - 'A' + 10,
        _ => b - 'a' + 10,
    };
}
