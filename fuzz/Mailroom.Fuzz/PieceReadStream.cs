namespace Mailroom.Fuzz;

/// <summary>
/// A read-only stream over a byte array that hands out at most the next piece length per read (the pieces of
/// <see cref="Chunking"/>), as a file or a pipe may, so a reader's handling of short reads is exercised.
/// </summary>
internal sealed class PieceReadStream : Stream
{
    private readonly byte[] _bytes;
    private readonly List<int> _pieces;
    private int _piece;
    private int _position;

    public PieceReadStream(byte[] bytes, byte seed)
    {
        _bytes = bytes;
        _pieces = Chunking.Lengths(bytes.Length, seed);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _bytes.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_piece >= _pieces.Count || buffer.IsEmpty)
        {
            return 0;
        }

        int length = Math.Min(buffer.Length, _pieces[_piece]);
        _bytes.AsSpan(_position, length).CopyTo(buffer);
        _position += length;
        _pieces[_piece] -= length;
        if (_pieces[_piece] == 0)
        {
            _piece++;
        }

        return length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
