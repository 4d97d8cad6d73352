namespace Mailroom.Queue;

/// <summary>
/// The write-only view of a spool file that a submission hands out as its content: writes go to the
/// buffered file, while seeking, reading and disposing (which belong to the submission) are not offered.
/// </summary>
internal sealed class SpoolContentStream : Stream
{
    private readonly FileStream _file;

    public SpoolContentStream(FileStream file)
    {
        _file = file;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _file.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _file.Write(buffer);

    public override void WriteByte(byte value) => _file.WriteByte(value);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _file.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _file.WriteAsync(buffer, cancellationToken);

    public override void Flush()
    {
        // Durability comes from the submission's commit; a caller's flush has nothing to add.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
