using System.Buffers;
using System.IO.Pipelines;

namespace Mailroom.Smtp.Protocol;

/// <summary>
/// Drives a <see cref="MessageContentScanner"/> over a DATA stream or BDAT chunks and hands each scanned block
/// to a sink (the cleanup writer). Holds one pooled block of output, never the message.
/// </summary>
internal sealed class ContentPump : IDisposable
{
    private const int BlockSize = 16 * 1024;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _sink;
    private byte[]? _block = ArrayPool<byte>.Shared.Rent(BlockSize);
    private int _filled;

    public ContentPump(MessageContentScanner scanner, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink)
    {
        Scanner = scanner;
        _sink = sink;
    }

    public MessageContentScanner Scanner { get; }

    private byte[] Block => _block ?? throw new ObjectDisposedException(nameof(ContentPump));

    /// <summary>
    /// Reads DATA content from the pipe up to and including the end marker, leaving the reader just past it.
    /// Throws <see cref="EndOfStreamException"/> when the client goes away first.
    /// </summary>
    /// <param name="input">The client's input.</param>
    /// <param name="progress">
    /// Called after each read with the bytes consumed (moves the transfer deadline on at the minimum data rate: a
    /// slow but live client is not timed out, one trickling bytes is).
    /// </param>
    /// <param name="cancellationToken">Cancelled on timeout or disconnect.</param>
    public async ValueTask ReadDataAsync(PipeReader input, Action<long> progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            long consumed;
            try
            {
                consumed = await ScanAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                input.AdvanceTo(buffer.Start);
                throw;
            }

            input.AdvanceTo(buffer.GetPosition(consumed));
            progress(consumed);
            if (Scanner.Completed)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                throw new EndOfStreamException("The client closed the connection during DATA.");
            }
        }
    }

    /// <summary>Scans one piece of a BDAT chunk (or any content) completely.</summary>
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        await ScanAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends BDAT content (a trailing CR is bare) and writes what is left of the block.</summary>
    public async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        if (BlockSize - _filled < MessageContentScanner.MinOutputSpace)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        Scanner.Finish(Block.AsSpan(_filled), out int written);
        _filled += written;
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is in the block to the sink.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            int filled = _filled;
            _filled = 0;
            await _sink(Block.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_block is not null)
        {
            ArrayPool<byte>.Shared.Return(_block);
            _block = null;
        }
    }

    private async ValueTask<long> ScanAsync(ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        long consumed = 0;
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            int offset = 0;
            while (offset < segment.Length && !Scanner.Completed)
            {
                if (BlockSize - _filled < MessageContentScanner.MinOutputSpace)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                Scanner.Scan(segment.Span[offset..], Block.AsSpan(_filled, BlockSize - _filled), out int used, out int written);
                offset += used;
                _filled += written;
            }

            consumed += offset;
            if (Scanner.Completed)
            {
                break;
            }
        }

        return consumed;
    }
}
