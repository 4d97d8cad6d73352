using System.ComponentModel.DataAnnotations;
using Mailroom.Net;

namespace Mailroom.Imap;

/// <summary>IMAP server settings (configuration section <c>Imap</c>).</summary>
public sealed class ImapOptions
{
    public const string SectionName = "Imap";

    /// <summary>IMAP port. Default 143 (RFC 9051 §2.1). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int Port { get; set; } = 143;

    /// <summary>IMAP over implicit TLS. Default 993 (RFC 8314 §7.3). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int ImapsPort { get; set; } = 993;

    /// <summary>Addresses to listen on. Default all IPv4 and IPv6 addresses (<c>0.0.0.0</c>, <c>::</c>).</summary>
    [IPAddressList]
    public IList<string> BindAddresses { get; } = ["0.0.0.0", "::"];

    /// <summary>
    /// Longest command line in bytes, excluding CRLF (literals are not part of a line). Default 8192: RFC 9051 §4
    /// advises clients to keep lines under 8000 octets, so well-behaved clients fit, and a line costs little to buffer.
    /// </summary>
    [Range(1024, 1024 * 1024)]
    public int MaxLineLength { get; set; } = 8192;

    /// <summary>
    /// Largest APPEND message literal in bytes. Default 50 MiB, the same as the SMTP message size limit: a message
    /// that could be delivered can be saved too (Sent copies, moving mail between servers). Checked before the
    /// literal is read; a larger synchronising literal gets <c>NO [TOOBIG]</c>.
    /// </summary>
    [Range(typeof(long), "1024", "2147483647")]
    public long MaxLiteralSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// Largest command other than APPEND, literals included, in bytes. Default 1 MiB: search strings and long
    /// sequence sets fit easily, while a client cannot make the server hold more than this per command.
    /// </summary>
    [Range(typeof(long), "1024", "2147483647")]
    public long MaxCommandSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Deadline for each command line once logged in (absolute from when the server starts waiting for it), IDLE
    /// included. Default 30 minutes, the least RFC 9051 §5.4 allows for an autologout timer (and what IDLE clients
    /// rely on, RFC 2177 re-issuing IDLE every 29 minutes).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Deadline for the whole dialogue before login, from the connection until LOGIN or AUTHENTICATE succeeds
    /// (STARTTLS and failed attempts included): absolute, so a client trickling bytes or sending NOOPs cannot hold an
    /// unauthenticated slot. Default 60 seconds: a real client logs in at once, and an unauthenticated connection
    /// should not hold a slot for long; RFC 9051 §5.4 sets no minimum before login.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>BAD</c> replies before the session is ended with <c>* BYE Too many invalid commands.</c>. Default 10, as
    /// <c>Pop3:MaxErrors</c>: no well-behaved client gets near it, and an abuser wastes little.
    /// </summary>
    [Range(1, 1000)]
    public int MaxErrors { get; set; } = 10;

    /// <summary>
    /// Allow LOGIN and AUTHENTICATE on connections without TLS from any address. Default false (DESIGN invariant 3,
    /// Dovecot's <c>disable_plaintext_auth = yes</c>): passwords never cross the network in clear.
    /// </summary>
    public bool AllowPlaintextAuth { get; set; }

    /// <summary>
    /// Allow LOGIN and AUTHENTICATE without TLS from loopback clients. Default true: the password never leaves the
    /// machine, and the classic telnet test on the mail host works (Dovecot treats local connections as secured).
    /// </summary>
    public bool AllowPlaintextAuthOnLoopback { get; set; } = true;
}
