namespace Mailroom.Queue;

/// <summary>
/// The write-only content of a <see cref="DirectSubmission"/>: writes go to memory while the message fits its limit,
/// then (once) to the spool file the submission moves to, and there from then on.
/// </summary>
internal sealed class DirectContentStream(DirectSubmission submission) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (submission.Spool is null && submission.Fits(buffer.Length))
        {
            submission.Hold(buffer);
            return;
        }

        submission.Spill().Content.Write(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (submission.Spool is null && submission.Fits(buffer.Length))
        {
            cancellationToken.ThrowIfCancellationRequested();
            submission.Hold(buffer.Span);
            return ValueTask.CompletedTask;
        }

        return submission.Spill().Content.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
        // Durability comes from the submission's commit; a caller's flush has nothing to add.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
