using System.ComponentModel.DataAnnotations;
using System.Net;
using Mailroom.Policy.Milter;

namespace Mailroom.Smtp;

/// <summary>SMTP server settings (configuration section <c>Smtp</c>).</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    /// <summary>
    /// The name in the greeting, Received headers and generated Message-IDs. Default: this machine's host name
    /// (Postfix's myhostname).
    /// </summary>
    [Required]
    public string Hostname { get; set; } = Dns.GetHostName();

    /// <summary>MTA port (mail from other servers). Default 25 (RFC 5321 §4.5.4.2). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Message submission port. Default 587 (RFC 6409 §3.1). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int SubmissionPort { get; set; } = 587;

    /// <summary>Submission over implicit TLS. Default 465 (RFC 8314 §7.3). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int SmtpsPort { get; set; } = 465;

    /// <summary>Addresses to listen on. Default all IPv4 and IPv6 addresses (<c>0.0.0.0</c>, <c>::</c>).</summary>
    public IList<string> BindAddresses { get; } = ["0.0.0.0", "::"];

    /// <summary>
    /// Largest message accepted, in bytes of content as the client sent it (after dot-unstuffing). Default
    /// 10240000, Postfix's message_size_limit; announced in EHLO SIZE (RFC 1870).
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long MaxMessageSize { get; set; } = 10_240_000;

    /// <summary>
    /// Largest header field in bytes, with its continuation lines (what Postfix's <c>header_size_limit</c> measures).
    /// Default 102400, Postfix's default. A message with a larger field is read to its end, then refused with
    /// <c>552 5.3.4</c> before anything parses it: MIME parsers (MimeKit's among them, behind DKIM, DMARC, ARC, Sieve and
    /// bounces) take time that grows with the square of a folded field's length. Postfix cuts such a field instead;
    /// cutting would alter signed mail silently, so it is refused and the sender learns why.
    /// </summary>
    [Range(1000, 10_485_760)]
    public int MaxHeaderFieldSize { get; set; } = 102_400;

    /// <summary>
    /// Header fields per message. Default 1000: a real message, even relayed through many hops with ARC and DKIM, has
    /// a few dozen. More are refused with <c>552 5.3.4</c> after the message is read, before anything parses it.
    /// </summary>
    [Range(100, 1_000_000)]
    public int MaxHeaderFields { get; set; } = 1000;

    /// <summary>Recipients per message. Default 1000, Postfix's smtpd_recipient_limit; RFC 5321 §4.5.3.1.8 requires at least 100.</summary>
    [Range(100, 100_000)]
    public int MaxRecipients { get; set; } = 1000;

    /// <summary>
    /// Longest command line in bytes, excluding CRLF. Default 2048, Postfix's line_length_limit; RFC 5321
    /// §4.5.3.1.4 requires 512 and ESMTP parameters make lines longer, so the floor here is 1000.
    /// </summary>
    [Range(1000, 65536)]
    public int MaxLineLength { get; set; } = 2048;

    /// <summary>Error replies before the session is ended with 421. Default 10 (Postfix's smtpd_hard_error_limit is 20; fewer wastes less on abusers).</summary>
    [Range(1, 1000)]
    public int MaxErrors { get; set; } = 10;

    /// <summary>
    /// Deadline for each command line, absolute from when the server starts waiting for it (a client trickling one
    /// byte at a time gets no longer), and the most a DATA or BDAT transfer may lag behind <see cref="MinDataRate"/>.
    /// Default 300 s (RFC 5321 §4.5.3.2.7, Postfix's smtpd_timeout with smtpd_per_request_deadline).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// On the submission ports, deadline for the whole dialogue from the connection until AUTH succeeds (TLS
    /// handshake and failed attempts included). Default 60 s, as <c>Imap:LoginTimeout</c>: a mail client logs in
    /// within seconds, and an unauthenticated connection should not hold a slot for long. Port 25 has none: other
    /// mail servers never log in.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Least rate in bytes per second at which DATA and BDAT content must arrive: each byte received moves the
    /// transfer's deadline later by 1/rate seconds, never past <see cref="IdleTimeout"/> from now. Default 500, Postfix's
    /// smtpd_min_data_rate: a 10 MB message may take 5.5 hours, a client sending a byte every 10 s is cut after about
    /// <see cref="IdleTimeout"/>. 0 turns it off (any progress restarts the full IdleTimeout).
    /// </summary>
    [Range(0, 1_000_000_000)]
    public int MinDataRate { get; set; } = 500;

    /// <summary>
    /// Client networks (CIDR) that may relay without AUTH (Postfix's mynetworks). Default loopback only
    /// (<c>127.0.0.0/8</c>, <c>::1/128</c>); an empty list trusts nobody. Note that configuration binding adds
    /// configured entries to this default list; the host should clear it before binding when it is configured.
    /// </summary>
    public IList<string> TrustedNetworks { get; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>Answer VRFY with <c>252</c>. Default false: VRFY lets anyone harvest addresses (Postfix's disable_vrfy_command).</summary>
    public bool EnableVrfy { get; set; }

    /// <summary>
    /// Offer AUTH before TLS. Default false (DESIGN invariant 3, Postfix's smtpd_tls_auth_only = yes): passwords
    /// never cross the network in clear, loopback included.
    /// </summary>
    public bool AllowPlaintextAuth { get; set; }

    /// <summary>
    /// In every authenticated session (submission ports and AUTH on port 25 alike), the sender must be the
    /// authenticated user or an address that resolves to them. Default true (Postfix's reject_sender_login_mismatch):
    /// users cannot forge each other.
    /// </summary>
    public bool SenderLoginMatch { get; set; } = true;

    /// <summary>
    /// Port 25's pregreet test (postscreen's <c>postscreen_greet_wait</c>): the greeting's first line (<c>220-host</c>) is
    /// sent at once and its last one only after this delay; a client that talks in between, before its turn (RFC 5321
    /// §4.3.1 makes the server speak first), is a spambot in a hurry and is refused with <c>554 5.5.1</c> and logged as
    /// <c>PREGREET</c>. Clients in <see cref="TrustedNetworks"/> are never delayed. Default 0: off, because without
    /// postscreen's cache of clients that passed, every legitimate sender would wait this long on every connection;
    /// 1–6 s (postscreen uses 6) catches most bots for that price. At most 30 s, well inside the 5 minutes RFC 5321
    /// §4.5.3.2.1 lets a client wait for the greeting.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan GreetDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Bare CR/LF in message content. Default <see cref="BareLineEndingHandling.Reject"/> (smtpd_forbid_bare_newline, SMTP smuggling defence).</summary>
    public BareLineEndingHandling BareLineEndings { get; set; } = BareLineEndingHandling.Reject;

    /// <summary>
    /// Milters asked about each message received on port 25 (Postfix's smtpd_milters), in order, at the end of DATA after
    /// this server's own checks. Default none. Each entry: <c>Address</c> (<c>inet:host:port</c> or <c>unix:/path</c>),
    /// <c>ConnectTimeout</c>, <c>CommandTimeout</c>, <c>ContentTimeout</c>, <c>DefaultAction</c>.
    /// </summary>
    public IList<MilterSettings> Milters { get; } = [];

    /// <summary>Milters for mail from the submission ports (587, 465), e.g. a DKIM signer (Postfix's non_smtpd_milters idea). Default none.</summary>
    public IList<MilterSettings> SubmissionMilters { get; } = [];

    /// <summary>
    /// Largest packet accepted from a milter, in bytes. Default 262144: a body chunk is at most 65535 bytes and header
    /// fields far less; a hostile milter cannot make the server buffer more.
    /// </summary>
    [Range(65540, 16 * 1024 * 1024)]
    public int MilterMaxPacketSize { get; set; } = 256 * 1024;

    /// <summary>Most modification actions (header edits, recipient changes) accepted from the milters per message. Default 1000.</summary>
    [Range(1, 100_000)]
    public int MilterMaxModifications { get; set; } = 1000;

    /// <summary>
    /// Header fields (<c>Name: value</c>, value compared without case) that mark a message as spam, as a filter adds them
    /// (rspamd's <c>add header</c> action, SpamAssassin): such a message goes to the Junk folder of its local recipients
    /// (those who keep that on: <c>Delivery:SpamToJunk</c>, a user's own <c>mailbox.spam_to_junk</c>).
    /// Default <c>X-Spam: Yes</c> and <c>X-Spam-Flag: YES</c>; an empty list turns it off.
    /// </summary>
    public IList<string> SpamHeaders { get; } = ["X-Spam: Yes", "X-Spam-Flag: YES"];
}
