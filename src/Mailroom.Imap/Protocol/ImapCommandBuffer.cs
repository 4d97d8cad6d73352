using System.Buffers;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// One complete command as the session assembled it: its lines (without CRLF, literal markers kept) with each
/// literal's bytes placed right after the marker that announced it. The buffer remembers where every line ends and
/// where every literal lies, so the reader accepts a "{n}" only where the client really ended a line with it and
/// never mistakes text that merely looks like a literal for one. A large APPEND literal is not copied in: the buffer
/// keeps a <see cref="SpooledLiteral"/> at its place instead (taking no bytes of the content) and owns it until
/// <see cref="Reset"/>.
/// </summary>
internal sealed class ImapCommandBuffer
{
    // A buffer grown past this by a large command is dropped at Reset rather than kept for the session's life.
    private const int RetainedCapacity = 64 * 1024;

    private readonly List<int> _lineEnds = [];

    // Ascending by Start (every literal follows its own marker line), so a lookup is a binary search: a command of
    // many small literals costs O(n log n) to read, not O(n²).
    private readonly List<LiteralSpan> _literals = [];
    private readonly List<SpooledLiteral> _spooled = [];
    private byte[] _buffer = new byte[1024];
    private int _length;
    private bool _inLiteral;

    /// <summary>Total bytes of the command: lines plus literal data, spooled literals included (for the limits).</summary>
    public long Length
    {
        get
        {
            long length = _length;
            foreach (SpooledLiteral literal in _spooled)
            {
                length += literal.Length;
            }

            return length;
        }
    }

    /// <summary>Bytes held in memory: lines plus literals that were not spooled.</summary>
    public int MemoryLength => _length;

    internal ReadOnlyMemory<byte> Content => _buffer.AsMemory(0, _length);

    /// <summary>Appends one line, without its CRLF, including a trailing literal marker if it has one.</summary>
    public void AppendLine(ReadOnlySpan<byte> line)
    {
        _inLiteral = false;
        Append(line);
        _lineEnds.Add(_length);
    }

    /// <summary>Appends literal bytes; consecutive calls continue the same literal until the next line.</summary>
    public void AppendLiteral(ReadOnlySequence<byte> data)
    {
        if (!_inLiteral)
        {
            _literals.Add(new LiteralSpan(_length, 0));
            _inLiteral = true;
        }

        foreach (ReadOnlyMemory<byte> segment in data)
        {
            Append(segment.Span);
        }

        LiteralSpan last = _literals[^1];
        _literals[^1] = last with { Length = _length - last.Start };
    }

    /// <summary>
    /// Places a literal kept outside the buffer right after the marker line just appended; the buffer owns it from
    /// now on (<see cref="Reset"/> disposes it), even while its data is still arriving.
    /// </summary>
    public void AppendSpooledLiteral(SpooledLiteral literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        _literals.Add(new LiteralSpan(_length, 0, literal));
        _spooled.Add(literal);
        _inLiteral = false;
    }

    /// <summary>Forgets the command (deleting its spooled literals); the buffer is kept for the next one unless it grew large.</summary>
    public void Reset()
    {
        foreach (SpooledLiteral literal in _spooled)
        {
            literal.Dispose();
        }

        if (_buffer.Length > RetainedCapacity)
        {
            _buffer = new byte[1024];
        }

        _length = 0;
        _inLiteral = false;
        _lineEnds.Clear();
        _literals.Clear();
        _spooled.Clear();
    }

    /// <summary>
    /// Whether <paramref name="line"/> ends with a literal marker: <c>{n}</c>, <c>{n+}</c> (RFC 7888 LITERAL+/-)
    /// or <c>~{n}</c> / <c>~{n+}</c> (RFC 3516 literal8). A marker inside a quoted string is not one. The size is
    /// parsed without allocating; a number above <see cref="long.MaxValue"/> (RFC 9051 number64 is 63 bits) saturates
    /// to it, so any limit refuses it, provided the caller compares the size with its remaining budget rather than
    /// adding it to what is used.
    /// </summary>
    public static bool TryGetLiteralMarker(ReadOnlySpan<byte> line, out long size, out bool nonSynchronizing, out bool binary)
    {
        size = 0;
        nonSynchronizing = false;
        binary = false;
        if (line.Length < 3 || line[^1] != (byte)'}')
        {
            return false;
        }

        int end = line.Length - 1;
        if (line[end - 1] == (byte)'+')
        {
            nonSynchronizing = true;
            end--;
        }

        int digitsEnd = end;
        while (end > 0 && IsDigit(line[end - 1]))
        {
            end--;
        }

        if (end == digitsEnd || end == 0 || line[end - 1] != (byte)'{')
        {
            return false;
        }

        int open = end - 1;
        if (IsInsideQuotedString(line[..open]))
        {
            return false;
        }

        binary = open > 0 && line[open - 1] == (byte)'~';
        size = ParseSize(line[end..digitsEnd]);
        return true;
    }

    internal bool IsLineEnd(int position) => _lineEnds.BinarySearch(position) >= 0;

    /// <summary>The first line end at or after <paramref name="position"/> (the content length when none).</summary>
    internal int NextLineEnd(int position)
    {
        int index = _lineEnds.BinarySearch(position);
        if (index < 0)
        {
            index = ~index;
        }

        return index < _lineEnds.Count ? _lineEnds[index] : _length;
    }

    /// <summary>The length of the literal data recorded at <paramref name="start"/>; 0 when none was appended.</summary>
    internal long LiteralLengthAt(int start)
    {
        int index = IndexOfLiteral(start);
        return index < 0 ? 0 : _literals[index].Spooled?.Length ?? _literals[index].Length;
    }

    /// <summary>The spooled literal recorded at <paramref name="start"/>, or null when the literal there is in memory.</summary>
    internal SpooledLiteral? SpooledLiteralAt(int start)
    {
        int index = IndexOfLiteral(start);
        return index < 0 ? null : _literals[index].Spooled;
    }

    private static long ParseSize(ReadOnlySpan<byte> digits)
    {
        long value = 0;
        foreach (byte b in digits)
        {
            int digit = b - '0';
            if (value > (long.MaxValue - digit) / 10)
            {
                return long.MaxValue;
            }

            value = (value * 10) + digit;
        }

        return value;
    }

    private int IndexOfLiteral(int start)
    {
        int low = 0;
        int high = _literals.Count - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            int at = _literals[middle].Start;
            if (at == start)
            {
                return middle;
            }

            if (at < start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    // Quoted strings cannot span lines (RFC 9051 §4.3: no CR or LF in quoted), so the state at the start of each
    // line is "outside".
    private static bool IsInsideQuotedString(ReadOnlySpan<byte> text)
    {
        bool inQuote = false;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)'"')
            {
                inQuote = !inQuote;
            }
            else if (inQuote && text[i] == (byte)'\\')
            {
                i++;
            }
        }

        return inQuote;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if ((long)_length + data.Length > Array.MaxLength)
        {
            throw new InvalidOperationException("The command exceeds the largest buffer possible; the session must enforce its limits first.");
        }

        if (_length + data.Length > _buffer.Length)
        {
            int capacity = (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_length + data.Length));
            Array.Resize(ref _buffer, capacity);
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    private readonly record struct LiteralSpan(int Start, int Length, SpooledLiteral? Spooled = null);
}
