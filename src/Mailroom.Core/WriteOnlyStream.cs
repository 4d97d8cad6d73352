namespace Mailroom.Core;

/// <summary>
/// The boilerplate of a forward-only, write-only stream that buffers nothing of its own: a subclass writes
/// <see cref="Write(ReadOnlySpan{byte})"/> (and <see cref="Stream.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
/// when it has an asynchronous path); the other writes forward to it, reads, seeks and lengths are not supported, and a
/// flush has nothing to do.
/// </summary>
public abstract class WriteOnlyStream : Stream
{
    public sealed override bool CanRead => false;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => true;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public sealed override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public sealed override void WriteByte(byte value) => Write([value]);

    public sealed override void Flush()
    {
    }

    public sealed override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
