namespace Mailroom.Policy.Dns;

/// <summary>The resolver's settings, bound from the <c>Dns</c> section.</summary>
public sealed class DnsOptions
{
    public const string SectionName = "Dns";

    /// <summary>
    /// Name servers to ask, as <c>address</c> or <c>address:port</c> (<c>[::1]:53</c> for IPv6). Default: none,
    /// meaning the system's (<c>/etc/resolv.conf</c>). Tests point this at a DNS server on loopback.
    /// </summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>
    /// How long one query may take before it is retried. Default 5 s, the resolv.conf default: a policy check
    /// that waits longer holds an SMTP transaction open at end of DATA.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a timeout. Default 2 (three tries, as resolv.conf's <c>attempts</c> default).</summary>
    public int Retries { get; set; } = 2;

    /// <summary>
    /// Longest time an answer is cached, whatever its TTL says. Default 1 h: a sender's zone chooses its TTLs, and
    /// this bounds how long its answers occupy memory; shorter TTLs are honoured as they are.
    /// </summary>
    public TimeSpan MaxCacheTtl { get; set; } = TimeSpan.FromHours(1);
}
