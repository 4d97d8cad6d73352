using System.Buffers;
using MimeKit.Encodings;

namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// Reads a byte range of a message file with its Content-Transfer-Encoding removed, a chunk at a time (MimeKit's
/// decoders keep their state between chunks), so a part of any size is decoded in bounded memory.
/// </summary>
internal sealed class ContentReader : IDisposable
{
    private const int RawChunk = 32 * 1024;

    private readonly Stream _file;
    private readonly long _end;
    private readonly IMimeDecoder? _decoder;
    private readonly QuotedPrintableReader? _quotedPrintable;
    private long _position;
    private bool _finished;
    private byte[]? _raw;
    private byte[]? _decoded;
    private int _decodedStart;
    private int _decodedEnd;

    public ContentReader(Stream file, long start, long end, ContentEncoding encoding)
    {
        _file = file;
        _position = start;
        _end = end;
        _decoder = encoding == ContentEncoding.Base64 ? new Base64Decoder() : null;

        // MimeKit's decoder keeps trailing white space and the blanks after a soft break's "=", which BINARY must not.
        _quotedPrintable = encoding == ContentEncoding.QuotedPrintable ? new QuotedPrintableReader() : null;
    }

    /// <summary>The Content-Transfer-Encoding of a leaf part; <see cref="UnknownCteException"/> for one not known.</summary>
    public static ContentEncoding EncodingOf(BodyPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.IsMultipart || part.IsMessage)
        {
            // RFC 2045 §6.4: only 7bit, 8bit or binary are allowed on these, so their raw content is their content.
            return ContentEncoding.Identity;
        }

        string encoding = (part.Header.Get("Content-Transfer-Encoding") ?? string.Empty).Trim().ToUpperInvariant();
        return encoding switch
        {
            "" or "7BIT" or "8BIT" or "BINARY" => ContentEncoding.Identity,
            "BASE64" => ContentEncoding.Base64,
            "QUOTED-PRINTABLE" => ContentEncoding.QuotedPrintable,
            _ => throw new UnknownCteException("Unknown Content-Transfer-Encoding " + encoding),
        };
    }

    /// <summary>Reads file bytes at <paramref name="offset"/> without moving any shared position the caller relies on.</summary>
    public static int ReadAt(Stream file, Span<byte> destination, long offset)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file is FileStream stream)
        {
            return RandomAccess.Read(stream.SafeFileHandle, destination, offset);
        }

        file.Position = offset;
        return file.Read(destination);
    }

    /// <summary>Decoded bytes into <paramref name="destination"/>; 0 at the end of the range.</summary>
    public int Read(Span<byte> destination)
    {
        if (_decoder is null && _quotedPrintable is null)
        {
            int want = (int)Math.Min(destination.Length, _end - _position);
            if (want <= 0)
            {
                return 0;
            }

            int read = ReadAt(_file, destination[..want], _position);
            _position += read;
            return read;
        }

        while (_decodedStart == _decodedEnd)
        {
            _raw ??= ArrayPool<byte>.Shared.Rent(RawChunk);
            _decoded ??= ArrayPool<byte>.Shared.Rent(_decoder?.EstimateOutputLength(RawChunk) ?? QuotedPrintableReader.MaxOutputLength(RawChunk));
            int length = _position >= _end ? 0 : ReadAt(_file, _raw.AsSpan(0, (int)Math.Min(RawChunk, _end - _position)), _position);
            _decodedStart = 0;
            if (length == 0)
            {
                // The end of the range (or the file is shorter than its structure says: it changed under us, and the
                // content ends here). Quoted-printable may still hold an "=" or a CR it had to look past.
                _position = _end;
                if (_quotedPrintable is null || _finished)
                {
                    return 0;
                }

                _finished = true;
                _decodedEnd = _quotedPrintable.Finish(_decoded);
                continue;
            }

            _position += length;
            _decodedEnd = _decoder is not null
                ? _decoder.Decode(_raw, 0, length, _decoded)
                : _quotedPrintable!.Decode(_raw.AsSpan(0, length), _decoded);
        }

        int count = Math.Min(destination.Length, _decodedEnd - _decodedStart);
        _decoded.AsSpan(_decodedStart, count).CopyTo(destination);
        _decodedStart += count;
        return count;
    }

    public void Dispose()
    {
        if (_raw is not null)
        {
            ArrayPool<byte>.Shared.Return(_raw);
            _raw = null;
        }

        if (_decoded is not null)
        {
            ArrayPool<byte>.Shared.Return(_decoded);
            _decoded = null;
        }
    }
}
