using System.IO.Compression;
using Mailroom.Core;

namespace Mailroom.Net;

/// <summary>
/// The read side of a DEFLATE layer (<see cref="MailConnection.StartDeflate"/>): corrupt compressed input from the
/// client is a broken transport (<see cref="IOException"/>), as a TLS record that fails to decrypt is, not an error of
/// ours: the session ends as for a dropped connection.
/// </summary>
internal sealed class InflatingStream(Stream compressed)
    : ReadOnlyStream(new DeflateStream(compressed, CompressionMode.Decompress, leaveOpen: false))
{
    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(ex);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(ex);
        }
    }

    private static IOException Corrupt(InvalidDataException ex) => new("The client's compressed data is corrupt.", ex);
}
