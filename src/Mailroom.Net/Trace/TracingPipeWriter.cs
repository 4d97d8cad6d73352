using System.IO.Pipelines;

namespace Mailroom.Net.Trace;

/// <summary>
/// The output of a traced session: passes everything to the connection's writer and shows each advanced byte to the
/// transcript. Only traced sessions get one; every other session writes to the connection's writer directly.
/// </summary>
internal sealed class TracingPipeWriter(PipeWriter inner, SessionTrace trace) : PipeWriter
{
    private Memory<byte> _lastBuffer;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        trace.Server(_lastBuffer.Span[..bytes]);
        _lastBuffer = default;
        inner.Advance(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _lastBuffer = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
}
