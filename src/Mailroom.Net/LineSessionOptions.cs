namespace Mailroom.Net;

/// <summary>Initial limits of a <see cref="LineSession"/>; a session may change both per state afterwards.</summary>
public sealed class LineSessionOptions
{
    /// <summary>
    /// Longest accepted line in bytes, excluding CRLF. Default 4096: above the 512-octet SMTP command line
    /// (RFC 5321 §4.5.3.1.4) and the 255-octet POP3 limit, below IMAP's advised 8000 octets (RFC 9051 §4);
    /// each protocol sets its own.
    /// </summary>
    public int MaxLineLength { get; set; } = 4096;

    /// <summary>
    /// Time allowed waiting for the next line. Default 5 minutes, the RFC 5321 §4.5.3.2.7 server timeout;
    /// protocols shorten it before authentication.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
