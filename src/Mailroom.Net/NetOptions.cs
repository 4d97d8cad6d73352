namespace Mailroom.Net;

/// <summary>Connection-layer settings, bound from the <c>Net</c> configuration section.</summary>
public sealed class NetOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Net";

    /// <summary>
    /// Most simultaneous client connections of each listener class (MTA, submission, POP3, IMAP; see
    /// <see cref="Pools"/> to set one class apart). Default 1000: a thread-pool-friendly bound well above what a small
    /// site sees, which keeps file descriptors and memory bounded under a connection flood; per class, so a flood on
    /// port 25 leaves the submission, POP3 and IMAP slots alone (Postfix's per-service process limits).
    /// </summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>
    /// Most simultaneous connections of each listener class from one client: an IPv4 address, or an IPv6 /64 (a
    /// single subscriber's allocation, RFC 6177). Default 50, Postfix's <c>smtpd_client_connection_count_limit</c>:
    /// one misbehaving host cannot take every slot. 0 disables the limit. Clients in
    /// <see cref="ConnectionLimitExemptions"/> are not limited.
    /// </summary>
    public int MaxConnectionsPerIp { get; set; } = 50;

    /// <summary>Per-class overrides of <see cref="MaxConnections"/> and <see cref="MaxConnectionsPerIp"/> (<c>Net:Pools:Imap:MaxConnectionsPerIp</c>).</summary>
    public ConnectionPoolsOptions Pools { get; set; } = new();

    /// <summary>
    /// Client networks (CIDR) exempt from the per-IP limit, as Postfix's anvil exempts <c>mynetworks</c>
    /// (<c>smtpd_client_event_limit_exceptions</c>). Default loopback (<c>127.0.0.0/8</c>, <c>::1/128</c>): a webmail on
    /// the mail host opens every IMAP connection from 127.0.0.1. SMTP listeners also exempt <c>Smtp:TrustedNetworks</c>.
    /// </summary>
    public IList<string> ConnectionLimitExemptions { get; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>
    /// How long a graceful shutdown waits for running sessions after cancelling them before aborting the rest.
    /// Default 10 s: long enough to finish a DATA transfer's fsync, short enough for service managers' stop timeouts.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time allowed for a TLS handshake (implicit or STARTTLS). Default 10 s, as Kestrel's handshake timeout:
    /// a client that opens a connection and never completes the handshake must not hold a slot.
    /// </summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Server certificate settings (<c>Net:Tls</c>).</summary>
    public NetTlsOptions Tls { get; set; } = new();

    /// <summary>Failed-authentication throttling settings (<c>Net:AuthThrottle</c>).</summary>
    public AuthThrottleOptions AuthThrottle { get; set; } = new();
}
