using System.Buffers;
using System.IO.Pipelines;

namespace Mailroom.Net;

/// <summary>Exact byte-count readers for BDAT chunks (RFC 3030) and IMAP literals (RFC 9051 §4.3).</summary>
public static class PipeReaderExtensions
{
    /// <summary>
    /// Copies exactly <paramref name="count"/> bytes from the reader to <paramref name="sink"/> as they arrive: each
    /// call gets what the pipe holds (never more than requested), and nothing is accumulated here.
    /// </summary>
    /// <exception cref="EndOfStreamException">The client closed the connection before <paramref name="count"/> bytes.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled or a pending read was cancelled.</exception>
    public static async ValueTask CopyExactlyAsync(this PipeReader reader, long count, Func<ReadOnlySequence<byte>, ValueTask> sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var remaining = count;
        while (remaining > 0)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            var chunk = buffer.Length > remaining ? buffer.Slice(0, remaining) : buffer;
            if (!chunk.IsEmpty)
            {
                try
                {
                    await sink(chunk).ConfigureAwait(false);
                }
                catch
                {
                    // Leave the reader usable (not mid-read) for the caller's error reply.
                    reader.AdvanceTo(buffer.Start);
                    throw;
                }
            }

            remaining -= chunk.Length;
            reader.AdvanceTo(chunk.End);
            ThrowIfStopped(result, remaining, count);
        }
    }

    /// <summary>Consumes exactly <paramref name="count"/> bytes without keeping them (a literal or chunk refused for its size).</summary>
    /// <exception cref="EndOfStreamException">The client closed the connection before <paramref name="count"/> bytes.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled or a pending read was cancelled.</exception>
    public static async ValueTask SkipExactlyAsync(this PipeReader reader, long count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var remaining = count;
        while (remaining > 0)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            var take = Math.Min(buffer.Length, remaining);
            remaining -= take;
            reader.AdvanceTo(buffer.GetPosition(take));
            ThrowIfStopped(result, remaining, count);
        }
    }

    private static void ThrowIfStopped(ReadResult result, long remaining, long count)
    {
        if (remaining == 0)
        {
            return;
        }

        if (result.IsCanceled)
        {
            throw new OperationCanceledException("The read was cancelled before the expected byte count arrived.");
        }

        if (result.IsCompleted)
        {
            throw new EndOfStreamException($"The connection closed {remaining} bytes short of the expected {count}.");
        }
    }
}
