namespace Mailroom.Net;

/// <summary>Connection-layer settings, bound from the <c>Net</c> configuration section.</summary>
public sealed class NetOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Net";

    /// <summary>
    /// Most simultaneous client connections over all listeners. Default 1000: a thread-pool-friendly bound well
    /// above what a small site sees, which keeps file descriptors and memory bounded under a connection flood.
    /// </summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>
    /// Most simultaneous connections from one client address. Default 50, Postfix's
    /// <c>smtpd_client_connection_count_limit</c>: one misbehaving host cannot take every slot. 0 disables the limit.
    /// </summary>
    public int MaxConnectionsPerIp { get; set; } = 50;

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
