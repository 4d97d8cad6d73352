using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>
/// The write-only content of a <see cref="DirectSubmission"/>: writes go to memory while the message fits its limit,
/// then (once) to the spool file the submission moves to, and there from then on.
/// </summary>
internal sealed class DirectContentStream(DirectSubmission submission) : WriteOnlyStream
{
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (submission.Spool is null && submission.Fits(buffer.Length))
        {
            submission.Hold(buffer);
            return;
        }

        submission.Spill().Content.Write(buffer);
    }

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
}
