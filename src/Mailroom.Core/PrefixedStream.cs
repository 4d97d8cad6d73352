namespace Mailroom.Core;

/// <summary>
/// A read-only stream of some bytes in front of the rest of another stream: header fields that will go in front of a
/// message at commit (Authentication-Results), then the message as written. Disposing it disposes the rest.
/// </summary>
public sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream(rest)
{
    private int _prefixRead;

    public override int Read(Span<byte> buffer)
    {
        if (_prefixRead < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _prefixRead);
            prefix.Span.Slice(_prefixRead, n).CopyTo(buffer);
            _prefixRead += n;
            return n;
        }

        return Inner.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixRead < prefix.Length)
        {
            return Read(buffer.Span);
        }

        return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }
}
