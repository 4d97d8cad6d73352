using System.ComponentModel.DataAnnotations;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>Options of outbound SMTP delivery, bound from the configuration section <c>Delivery</c>.</summary>
public sealed class RemoteDeliveryOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Delivery";

    /// <summary>
    /// Transport map (Postfix's <c>transport_maps</c>): keys are a full address (<c>user@example.org</c>), a
    /// domain (<c>example.org</c>), a parent domain matching its subdomains (<c>.example.org</c>) or <c>*</c>
    /// (everything); values are <c>smtp:[host]:port</c> (that host, no MX lookup), <c>smtp:host:port</c> (MX
    /// lookup on host), <c>discard</c>, <c>discard:text</c>, <c>error:text</c> (bounce) or <c>retry:text</c>
    /// (defer). Default empty: every domain is delivered to its MX hosts (or <see cref="RelayHost"/>).
    /// </summary>
    public Dictionary<string, string> Transports { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Smart host for all mail the transport map does not route, like Postfix's <c>relayhost</c>:
    /// <c>[smtp.example.net]:587</c> (no MX lookup) or <c>example.net</c> (MX lookup). Default empty: direct
    /// delivery to each domain's MX hosts.
    /// </summary>
    public string? RelayHost { get; set; }

    /// <summary>User name for SMTP AUTH at <see cref="RelayHost"/>. Default empty: no AUTH.</summary>
    public string? RelayUser { get; set; }

    /// <summary>Password for SMTP AUTH at <see cref="RelayHost"/>.</summary>
    public string? RelayPassword { get; set; }

    /// <summary>
    /// TLS towards <see cref="RelayHost"/>. Default <see cref="TlsPolicy.Opportunistic"/>; with
    /// <see cref="RelayUser"/> set, use <c>Required</c> or <c>Verify</c> so that the password never travels in clear.
    /// </summary>
    public TlsPolicy RelayTls { get; set; } = TlsPolicy.Opportunistic;

    /// <summary>
    /// TLS towards every other destination. Default <see cref="TlsPolicy.Opportunistic"/>: most of the
    /// Internet's MX hosts offer STARTTLS with certificates nobody can verify (RFC 7435).
    /// </summary>
    public TlsPolicy Tls { get; set; } = TlsPolicy.Opportunistic;

    /// <summary>
    /// Destination domains (or <c>.parent</c> domains) for which TLS is mandatory (<see cref="TlsPolicy.Required"/>).
    /// Default empty.
    /// </summary>
    public List<string> RequireTlsDomains { get; set; } = [];

    /// <summary>
    /// The name sent in EHLO (Postfix's <c>smtp_helo_name</c>, default <c>$myhostname</c>). Default the
    /// machine's host name.
    /// </summary>
    [Required]
    [MinLength(1)]
    public string HeloName { get; set; } = Environment.MachineName;

    /// <summary>TCP connection timeout per address. Default 30 s, Postfix's <c>smtp_connect_timeout</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Timeout of each SMTP command and of the data transfer's reads and writes. Default 300 s, the
    /// largest of Postfix's <c>smtp_*_timeout</c> values (RFC 5321 §4.5.3.2 gives 5 to 10 minutes).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Connections at once to one destination (domain, relay host or transport target). Default 20,
    /// Postfix's <c>default_destination_concurrency_limit</c>.
    /// </summary>
    [Range(1, 1000)]
    public int DestinationConcurrencyLimit { get; set; } = 20;

    /// <summary>
    /// How many MX host addresses one attempt tries before deferring. Default 5, Postfix's
    /// <c>smtp_mx_address_limit</c>.
    /// </summary>
    [Range(1, 100)]
    public int MaxAddressesPerAttempt { get; set; } = 5;

    /// <summary>
    /// How long an idle connection is kept for the next message to the same host. Default 2 s, Postfix's
    /// <c>smtp_connection_cache_time_limit</c>: long enough for a queued batch, short enough not to hog slots.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ConnectionCacheTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The SMTP port of MX hosts. Default 25 (RFC 5321 §4.5.4). Tests point it elsewhere.</summary>
    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 25;
}
