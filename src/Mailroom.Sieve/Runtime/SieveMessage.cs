using System.Text;
using MimeKit;

namespace Mailroom.Sieve.Runtime;

/// <summary>
/// The message under test: its header parsed once up front (every script needs it), its MIME structure and raw body
/// only when a <c>body</c> test asks. Content stays in the spool file: MimeKit parses it persistently, so a large
/// message is not copied into memory. Dispose to close the file.
/// </summary>
public sealed class SieveMessage : IDisposable
{
    private readonly Func<Stream> _open;
    private readonly HeaderList _headers;
    private readonly long _bodyOffset;
    private Stream? _bodyStream;
    private MimeMessage? _mime;
    private string? _rawBody;

    private SieveMessage(Func<Stream> open, HeaderList headers, long size, long bodyOffset)
    {
        _open = open;
        _headers = headers;
        Size = size;
        _bodyOffset = bodyOffset;
    }

    /// <summary>The message size in octets (RFC 5228 §5.9).</summary>
    public long Size { get; }

    /// <summary>Reads the header of the message that <paramref name="open"/> returns (a new stream each call, positioned at the start).</summary>
    public static SieveMessage Load(Func<Stream> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        using Stream stream = open();
        long start = stream.CanSeek ? stream.Position : 0;
        var parser = new MimeParser(stream, MimeFormat.Entity);
        HeaderList headers = parser.ParseHeaders();
        long bodyOffset = parser.Position - start;
        long size = stream.CanSeek ? stream.Length - start : bodyOffset + Drain(stream);
        return new SieveMessage(open, headers, size, bodyOffset);
    }

    /// <summary>A message from bytes (tests, the vacation reply's original).</summary>
    public static SieveMessage FromBytes(byte[] content) => Load(() => new MemoryStream(content, writable: false));

    /// <summary>Every field of the header, in order.</summary>
    public HeaderList Headers => _headers;

    /// <summary>
    /// The values of every field named <paramref name="name"/> (case-insensitive), unfolded, RFC 2047 words decoded
    /// (RFC 5228 §2.7.2: comparisons are on Unicode text), leading and trailing white space removed.
    /// </summary>
    public List<string> GetHeaderValues(string name)
    {
        var values = new List<string>();
        foreach (Header header in _headers)
        {
            if (header.Field.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(Decode(header));
            }
        }

        return values;
    }

    /// <summary>The first value of a field, or null.</summary>
    public string? GetFirstHeader(string name)
    {
        foreach (Header header in _headers)
        {
            if (header.Field.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Decode(header);
            }
        }

        return null;
    }

    /// <summary>The raw (undecoded, unfolded) values of a field, for address parsing.</summary>
    public List<Header> GetHeaders(string name)
    {
        var headers = new List<Header>();
        foreach (Header header in _headers)
        {
            if (header.Field.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(header);
            }
        }

        return headers;
    }

    /// <summary>The MIME structure, parsed on first use.</summary>
    public MimeMessage Mime
    {
        get
        {
            if (_mime is null)
            {
                _bodyStream = _open();
                _mime = new MimeParser(_bodyStream, MimeFormat.Entity, persistent: _bodyStream.CanSeek).ParseMessage();
            }

            return _mime;
        }
    }

    /// <summary>The body as it is on the wire, after the header (RFC 5173 §5.1 <c>:raw</c>), read as UTF-8.</summary>
    public string RawBody
    {
        get
        {
            if (_rawBody is null)
            {
                using Stream stream = _open();
                Skip(stream, _bodyOffset);

                using var reader = new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: false);
                _rawBody = reader.ReadToEnd();
            }

            return _rawBody;
        }
    }

    public void Dispose()
    {
        _mime?.Dispose();
        _bodyStream?.Dispose();
    }

    private static long Drain(Stream stream)
    {
        byte[] buffer = new byte[16384];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static void Skip(Stream stream, long count)
    {
        if (stream.CanSeek)
        {
            stream.Seek(count, SeekOrigin.Current);
            return;
        }

        byte[] buffer = new byte[16384];
        while (count > 0)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0)
            {
                return;
            }

            count -= read;
        }
    }

    internal static string Decode(Header header) => header.Value.Trim(' ', '\t', '\r', '\n');
}
