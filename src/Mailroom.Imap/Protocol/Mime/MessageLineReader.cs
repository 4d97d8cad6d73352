using System.Buffers;

namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// Reads a message file line by line through a fixed buffer, each byte scanned once: <see cref="Peek"/> shows the
/// next line without taking it, <see cref="Consume"/> takes it (copying its text out if asked). A line longer than
/// the buffer is shown by its first <see cref="BufferSize"/> bytes only (<see cref="IsWhole"/> false); consuming it
/// still reads it to its end. Lines end at LF; a CR before the LF belongs to the line end.
/// </summary>
internal sealed class MessageLineReader : IDisposable
{
    /// <summary>The longest line shown whole: no boundary line or header field name comes near it.</summary>
    public const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;
    private bool _streamEnded;
    private bool _peeked;
    private int _lineLength;
    private int _terminatorLength;

    public MessageLineReader(Stream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>File offset of the next byte not consumed (the start of the peeked line).</summary>
    public long Position { get; private set; }

    /// <summary>Line ends (LF) consumed so far.</summary>
    public long LineFeeds { get; private set; }

    /// <summary>Bytes of the line end of the last line consumed: 2 (CRLF), 1 (LF) or 0 (none consumed yet).</summary>
    public int PreviousTerminatorLength { get; private set; }

    /// <summary>The peeked line without its line end (its first <see cref="BufferSize"/> bytes when not whole).</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_start, _lineLength);

    /// <summary>Whether <see cref="Line"/> is the whole line.</summary>
    public bool IsWhole { get; private set; }

    /// <summary>Shows the next line; false at the end of the file.</summary>
    public bool Peek()
    {
        if (_peeked)
        {
            return true;
        }

        while (true)
        {
            int newline = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int length = _scanned + newline;
                bool cr = length > 0 && _buffer[_start + length - 1] == (byte)'\r';
                Show(cr ? length - 1 : length, cr ? 2 : 1, whole: true);
                return true;
            }

            _scanned = _end - _start;
            if (_streamEnded)
            {
                if (_end == _start)
                {
                    return false;
                }

                Show(_end - _start, 0, whole: true);
                return true;
            }

            if (_end - _start == BufferSize)
            {
                // A CR at the very end may be half of the line end: it is not shown as text.
                Show(_buffer[_end - 1] == (byte)'\r' ? BufferSize - 1 : BufferSize, 0, whole: false);
                return true;
            }

            Fill();
        }
    }

    /// <summary>
    /// Takes the peeked line; its text after the first <paramref name="skip"/> bytes (without the line end) is appended
    /// to <paramref name="text"/> when given.
    /// </summary>
    public void Consume(IBufferWriter<byte>? text = null, int skip = 0)
    {
        if (!_peeked && !Peek())
        {
            return;
        }

        _peeked = false;
        if (IsWhole)
        {
            text?.Write(Line[Math.Min(skip, _lineLength)..]);
            Advance(_lineLength + _terminatorLength);
            Ended(_terminatorLength);
            return;
        }

        // A line longer than the buffer: pass over it piece by piece.
        text?.Write(Line[Math.Min(skip, _lineLength)..]);
        Advance(_lineLength);
        while (true)
        {
            if (_end == _start && (_streamEnded || !Fill()))
            {
                Ended(0);
                return;
            }

            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                bool cr = newline > 0 && _buffer[_start + newline - 1] == (byte)'\r';
                text?.Write(_buffer.AsSpan(_start, cr ? newline - 1 : newline));
                Advance(newline + 1);
                Ended(cr ? 2 : 1);
                return;
            }

            // A CR at the end of this piece may be the first half of the CRLF: keep it for the next.
            int take = _end - _start;
            if (_buffer[_end - 1] == (byte)'\r' && !_streamEnded)
            {
                take--;
                if (take == 0)
                {
                    Fill();
                    continue;
                }
            }

            text?.Write(_buffer.AsSpan(_start, take));
            Advance(take);
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Show(int length, int terminatorLength, bool whole)
    {
        _lineLength = length;
        _terminatorLength = terminatorLength;
        IsWhole = whole;
        _peeked = true;
    }

    private void Advance(int count)
    {
        _start += count;
        _scanned = 0;
        Position += count;
    }

    private void Ended(int terminatorLength)
    {
        PreviousTerminatorLength = terminatorLength;
        if (terminatorLength > 0)
        {
            LineFeeds++;
        }
    }

    // Moves what is left to the front and reads more; false when the stream has ended.
    private bool Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        int read = _stream.Read(_buffer, _end, BufferSize - _end);
        if (read == 0)
        {
            _streamEnded = true;
            return false;
        }

        _end += read;
        return true;
    }
}
