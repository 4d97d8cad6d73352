using System.IO.Compression;

namespace Mailroom.Net;

/// <summary>
/// The read side of a DEFLATE layer (<see cref="MailConnection.StartDeflate"/>): corrupt compressed input from the
/// client is a broken transport (<see cref="IOException"/>), as a TLS record that fails to decrypt is, not an error of
/// ours: the session ends as for a dropped connection.
/// </summary>
internal sealed class InflatingStream : Stream
{
    private readonly DeflateStream _inflater;

    public InflatingStream(Stream compressed)
    {
        _inflater = new DeflateStream(compressed, CompressionMode.Decompress, leaveOpen: false);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return _inflater.Read(buffer, offset, count);
        }
        catch (InvalidDataException ex)
        {
            throw new IOException("The client's compressed data is corrupt.", ex);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inflater.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new IOException("The client's compressed data is corrupt.", ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inflater.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
