namespace Mailroom.Net;

/// <summary>Initial limits of a <see cref="LineSession"/>; a session may change the line limit and the idle timeout per state afterwards.</summary>
public sealed class LineSessionOptions
{
    /// <summary>
    /// Longest accepted line in bytes, excluding CRLF. Default 4096: above the 512-octet SMTP command line
    /// (RFC 5321 §4.5.3.1.4) and the 255-octet POP3 limit, below IMAP's advised 8000 octets (RFC 9051 §4);
    /// each protocol sets its own.
    /// </summary>
    public int MaxLineLength { get; set; } = 4096;

    /// <summary>
    /// Deadline for each command line, from when the session starts waiting for it until its line end arrives:
    /// absolute, not per read (Postfix's <c>smtpd_per_request_deadline</c>), so a client trickling one byte at a time
    /// cannot hold a session past it. Default 5 minutes, the RFC 5321 §4.5.3.2.7 server timeout.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Absolute deadline for the whole dialogue before login, from the connection's start until the protocol reports
    /// a successful login; null: none (an MTA session never logs in). Set by POP3, IMAP and SMTP submission.
    /// </summary>
    public TimeSpan? LoginTimeout { get; set; }

    /// <summary>
    /// Least transfer rate, in bytes per second, of a raw transfer a handler reports (DATA, BDAT): each byte moves the
    /// deadline later by 1/rate seconds, never past <see cref="IdleTimeout"/> from now (Postfix's
    /// <c>smtpd_min_data_rate</c>). 0: any progress restarts the full <see cref="IdleTimeout"/>.
    /// </summary>
    public int MinDataRate { get; set; }
}
