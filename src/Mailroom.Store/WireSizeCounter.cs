namespace Mailroom.Store;

/// <summary>
/// Counts a message's size as POP3 and IMAP clients see it (RFC 1939 §11, RFC 9051 §2.3.4: CRLF line ends): the bytes,
/// plus one for each bare LF (sent as CRLF), plus CRLF when the last line is unterminated (a POP3 reply ends it).
/// Fed the message in chunks of any size as it is written or read; a delivered name's <c>,W=</c> field is
/// <see cref="NameField"/>.
/// </summary>
public struct WireSizeCounter
{
    private long _bytes;
    private long _bareLineFeeds;
    private byte _last;

    /// <summary>The wire size of the bytes added so far.</summary>
    public readonly long Total => _bytes == 0 ? 0 : _bytes + _bareLineFeeds + (_last == '\n' ? 0 : 2);

    /// <summary>
    /// The value of a stored name's <c>,W=</c> field, or -1 (no field) when the last line is unterminated: Dovecot's
    /// <c>W=</c> does not count the CRLF a POP3 server sends after such a line, and a name must not say otherwise.
    /// </summary>
    public readonly long NameField => _bytes == 0 || _last == '\n' ? Total : -1;

    public void Add(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        int crlfs = chunk.Count("\r\n"u8);
        if (_last == '\r' && chunk[0] == '\n')
        {
            // A CRLF split across two chunks.
            crlfs++;
        }

        _bareLineFeeds += chunk.Count((byte)'\n') - crlfs;
        _bytes += chunk.Length;
        _last = chunk[^1];
    }
}
