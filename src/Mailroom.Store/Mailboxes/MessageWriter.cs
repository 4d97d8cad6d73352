using System.Buffers;

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// One message being written into a <see cref="SaveTransaction"/>: the exact RFC 5322 bytes, in as many writes as
/// the caller likes (a delivery writes its trace headers, then the queued content). The size and the size with CRLF
/// line ends (<see cref="WireSizeCounter"/>) are counted as the bytes pass, so nothing is read again to learn them.
/// <see cref="CompleteAsync"/> makes the content durable; it becomes visible when the transaction commits.
/// </summary>
public abstract class MessageWriter
{
    private const int CopyChunk = 64 * 1024;

    private WireSizeCounter _wireSize;
    private bool _completed;

    /// <summary>Bytes written so far.</summary>
    public long Size { get; private set; }

    /// <summary>The size as POP3 sends it and IMAP counts it (see <see cref="WireSizeCounter.Total"/>).</summary>
    public long WireSize => _wireSize.Total;

    /// <summary>The value of a stored name's <c>W=</c> field (see <see cref="WireSizeCounter.NameField"/>).</summary>
    protected long WireSizeField => _wireSize.NameField;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The message is complete.");
        }

        if (data.IsEmpty)
        {
            return;
        }

        await WriteCoreAsync(data, cancellationToken).ConfigureAwait(false);
        _wireSize.Add(data.Span);
        Size += data.Length;
    }

    /// <summary>Copies <paramref name="content"/> from its position to its end, in chunks (never whole in memory).</summary>
    public async ValueTask WriteAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyChunk);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyChunk), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Ends the message and makes its content durable; the transaction's commit makes it visible.</summary>
    /// <exception cref="IOException">The content could not be made durable.</exception>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            return;
        }

        await CompleteCoreAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
    }

    /// <summary>Whether <see cref="CompleteAsync"/> succeeded.</summary>
    protected internal bool IsCompleted => _completed;

    protected abstract ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    protected abstract ValueTask CompleteCoreAsync(CancellationToken cancellationToken);
}
