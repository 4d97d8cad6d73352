using System.IO.Compression;

namespace Mailroom.Imap.Tests.Server.Support;

/// <summary>The client's side of COMPRESS=DEFLATE: raw DEFLATE both ways, a sync flush at every <see cref="Flush"/>.</summary>
internal sealed class DeflateDuplexStream : Stream
{
    private readonly Stream _inner;
    private readonly DeflateStream _inflater;
    private readonly DeflateStream _deflater;

    public DeflateDuplexStream(Stream inner)
    {
        _inner = inner;
        _inflater = new DeflateStream(inner, CompressionMode.Decompress, leaveOpen: true);
        _deflater = new DeflateStream(inner, CompressionLevel.Optimal, leaveOpen: true);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _inflater.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inflater.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inflater.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _deflater.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _deflater.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _deflater.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _deflater.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _deflater.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater.Dispose();
            _deflater.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
