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
                // Pipelining (RFC 2920 §3.1): while a complete command is already buffered, its reply joins the pending
                // ones; the output is flushed only when the loop is about to wait for the client.
                if (!input.TryRead(out var result))
                {
                    Interlocked.Exchange(ref _waitingForInput, 1);
                    if (!deadlineArmed)
                    {
                        RestartIdleTimer();
                        deadlineArmed = true;
                    }

                    try
                    {
                        if (Volatile.Read(ref _shutdownRequested) == 1)
                        {
                            return LineStatus.Shutdown;
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
                        Interlocked.Exchange(ref _waitingForInput, 0);
                    }
                }

                var status = TakeLine(input, result);
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
                input.AdvanceTo(next);
                return LineStatus.TooLong;
            }

            CopyLine(line.Slice(0, length));
            input.AdvanceTo(next);
            return LineStatus.Line;
        }

        if (buffer.Length >= limit)
        {
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
            input.AdvanceTo(buffer.GetPosition(1, lf));
            _draining = false;
            return LineStatus.TooLong;
        }

        input.AdvanceTo(buffer.End);
        return completed ? LineStatus.Disconnected : LineStatus.NeedMore;
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
        if (Interlocked.CompareExchange(ref _waitingForInput, 0, 0) == 1)
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
