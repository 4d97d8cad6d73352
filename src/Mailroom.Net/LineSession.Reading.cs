using System.Buffers;
using System.IO.Pipelines;

namespace Mailroom.Net;

/// <summary>The bounded line reader and lazy reply flushing of <see cref="LineSession"/>.</summary>
public abstract partial class LineSession
{
    private int _shutdownRequested;
    private int _waitingForInput;
    private bool _outputPending;
    private bool _draining;

    /// <summary>How many bytes of each end of an overlong line are kept for <see cref="OnLineTooLongAsync"/>.</summary>
    protected const int TooLongLineKept = 128;

    // Allocated on the first overlong line: most sessions never send one.
    private byte[]? _tooLongHead;
    private byte[]? _tooLongTail;
    private int _tooLongHeadLength;
    private int _tooLongTailLength;

    private enum LineStatus
    {
        NeedMore,
        Line,
        TooLong,
        Disconnected,
        Shutdown,
    }

    private async ValueTask<LineStatus> ReadLineAsync(CancellationToken ct)
    {
        // The command deadline runs from the first wait for this line to its end: bytes trickling in do not restart
        // it (Postfix's smtpd_per_request_deadline), so a line costs the client at most IdleTimeout.
        bool deadlineArmed = false;
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _shutdownRequested) == 1)
                {
                    return LineStatus.Shutdown;
                }

                var input = Connection.Input;
                bool absorbCancel = false;
                // Pipelining (RFC 2920 §3.1): while a complete command is already buffered, its reply joins the pending
                // ones; the output is flushed only when the loop is about to wait for the client.
                if (!input.TryRead(out var result))
                {
                    BeginWait();
                    if (!deadlineArmed)
                    {
                        RestartIdleTimer();
                        deadlineArmed = true;
                    }

                    bool cancelIssued;
                    try
                    {
                        if (Volatile.Read(ref _shutdownRequested) == 1)
                        {
                            return LineStatus.Shutdown;
                        }

                        if (TakeWakeRequest())
                        {
                            // Unsolicited responses between commands (LineSession.Wake.cs), sent with the pending replies.
                            await OnWakeAsync(ct).ConfigureAwait(false);
                            _outputPending = true;
                        }

                        if (_outputPending)
                        {
                            _outputPending = false;
                            await Connection.Output.FlushAsync(ct).ConfigureAwait(false);
                        }

                        result = await input.ReadAsync(ct).ConfigureAwait(false);
                    }
                    finally
                    {
                        cancelIssued = EndWait();
                    }

                    absorbCancel = cancelIssued && !result.IsCanceled;
                }

                var status = TakeLine(input, result);
                if (absorbCancel)
                {
                    AbsorbCancellation(input);
                }

                if (status != LineStatus.NeedMore)
                {
                    return status;
                }
            }
        }
        finally
        {
            if (deadlineArmed)
            {
                StopIdleTimer();
            }
        }
    }

    /// <summary>Takes one line from the buffer (or drains an overlong one) and advances the reader accordingly.</summary>
    private LineStatus TakeLine(PipeReader input, ReadResult result)
    {
        var buffer = result.Buffer;
        if (_draining)
        {
            return Drain(input, buffer, result.IsCompleted);
        }

        // Slice to the limit before searching (as Kestrel's TrimAndTakeStartLine): a client sending an endless line
        // costs one bounded scan per read, never an unbounded buffer. +2 leaves room for the CRLF itself.
        var limit = (long)MaxLineLength + 2;
        var window = buffer.Length > limit ? buffer.Slice(0, limit) : buffer;
        if (window.PositionOf((byte)'\n') is { } lf)
        {
            var line = buffer.Slice(0, lf);
            var next = buffer.GetPosition(1, lf);
            var length = line.Length;
            if (length > 0 && line.Slice(length - 1).FirstSpan[0] == (byte)'\r')
            {
                length--;
            }

            if (length > MaxLineLength)
            {
                KeepHead(line);
                _tooLongTailLength = 0;
                KeepTail(line.Slice(0, length));
                input.AdvanceTo(next);
                return LineStatus.TooLong;
            }

            CopyLine(line.Slice(0, length));
            input.AdvanceTo(next);
            return LineStatus.Line;
        }

        if (buffer.Length >= limit)
        {
            KeepHead(buffer);
            _tooLongTailLength = 0;
            KeepTail(buffer.Slice(0, limit));
            _draining = true;
            return Drain(input, buffer.Slice(limit), result.IsCompleted);
        }

        if (result.IsCompleted)
        {
            input.AdvanceTo(buffer.End);
            return LineStatus.Disconnected;
        }

        input.AdvanceTo(buffer.Start, buffer.End);
        return LineStatus.NeedMore;
    }

    /// <summary>Consumes input up to and including the next LF without keeping it.</summary>
    private LineStatus Drain(PipeReader input, ReadOnlySequence<byte> buffer, bool completed)
    {
        if (buffer.PositionOf((byte)'\n') is { } lf)
        {
            KeepTail(buffer.Slice(0, lf));
            if (_tooLongTailLength > 0 && _tooLongTail![_tooLongTailLength - 1] == (byte)'\r')
            {
                _tooLongTailLength--;
            }

            input.AdvanceTo(buffer.GetPosition(1, lf));
            _draining = false;
            return LineStatus.TooLong;
        }

        KeepTail(buffer);
        input.AdvanceTo(buffer.End);
        return completed ? LineStatus.Disconnected : LineStatus.NeedMore;
    }

    private void KeepHead(ReadOnlySequence<byte> line)
    {
        var head = line.Length > TooLongLineKept ? line.Slice(0, TooLongLineKept) : line;
        _tooLongHead ??= new byte[TooLongLineKept];
        head.CopyTo(_tooLongHead);
        _tooLongHeadLength = (int)head.Length;
    }

    /// <summary>Rolls the last bytes seen of an overlong line forward by <paramref name="more"/> of it.</summary>
    private void KeepTail(ReadOnlySequence<byte> more)
    {
        _tooLongTail ??= new byte[TooLongLineKept];
        if (more.Length >= TooLongLineKept)
        {
            more.Slice(more.Length - TooLongLineKept).CopyTo(_tooLongTail);
            _tooLongTailLength = TooLongLineKept;
            return;
        }

        var count = (int)more.Length;
        var keep = Math.Min(_tooLongTailLength, TooLongLineKept - count);
        _tooLongTail.AsSpan(_tooLongTailLength - keep, keep).CopyTo(_tooLongTail);
        more.CopyTo(_tooLongTail.AsSpan(keep));
        _tooLongTailLength = keep + count;
    }

    private void CopyLine(ReadOnlySequence<byte> line)
    {
        var length = (int)line.Length;
        if (_lineBuffer.Length < length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(length, 256));
            if (_lineBuffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_lineBuffer);
            }

            _lineBuffer = larger;
        }

        line.CopyTo(_lineBuffer);
        _lineLength = length;
    }

    private async ValueTask FlushWithTimeoutAsync(CancellationToken ct)
    {
        _outputPending = false;
        RestartIdleTimer();
        try
        {
            await Connection.Output.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            StopIdleTimer();
        }
    }

    private void OnStopping()
    {
        Interlocked.Exchange(ref _shutdownRequested, 1);
        // Only a session waiting for the client is interrupted; one inside a handler finishes it first and sees the
        // flag before reading its next line (graceful shutdown, within NetOptions.ShutdownTimeout).
        if (Volatile.Read(ref _waitingForInput) == 1)
        {
            try
            {
                Connection.Input.CancelPendingRead();
            }
            catch (InvalidOperationException)
            {
                // The reader was completed (connection closing); nothing to interrupt.
            }
        }
    }
}
