using Microsoft.Win32.SafeHandles;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Read-only, seekable view of a <see cref="SpooledLiteral"/>'s file: positioned reads on the handle, which it does
/// not own (the spool closes the file when the command is done).
/// </summary>
internal sealed class SpooledLiteralStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly long _length;
    private long _position;

    public SpooledLiteralStream(SafeFileHandle handle, long length)
    {
        _handle = handle;
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The position cannot be negative.");
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        int read = RandomAccess.Read(_handle, Limit(buffer), _position);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await RandomAccess.ReadAsync(_handle, Limit(buffer), _position, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown seek origin."),
        };
        return _position;
    }

    public override void Flush()
    {
        // Read-only: nothing to flush.
    }

    public override void SetLength(long value) => throw new NotSupportedException("The spooled literal is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The spooled literal is read-only.");

    // The file holds exactly the literal; reads never go past its announced length.
    private Span<byte> Limit(Span<byte> buffer) => buffer[..(int)Math.Clamp(_length - _position, 0, buffer.Length)];

    private Memory<byte> Limit(Memory<byte> buffer) => buffer[..(int)Math.Clamp(_length - _position, 0, buffer.Length)];
}
