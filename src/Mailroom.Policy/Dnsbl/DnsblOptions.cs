namespace Mailroom.Policy.Dnsbl;

/// <summary>
/// DNS blocklists and allowlists consulted for clients of port 25 (configuration section <c>Dnsbl</c>), as Postfix's
/// <c>postscreen_dnsbl_sites</c> with its weights and <c>postscreen_dnsbl_threshold</c>, enforced at RCPT as
/// <c>reject_rbl_client</c> is.
/// </summary>
public sealed class DnsblOptions
{
    public const string SectionName = "Dnsbl";

    /// <summary>
    /// The lists, each <c>zone[=filter][*weight]</c> in postscreen's syntax: <c>zen.spamhaus.org=127.0.0.[2..11]*3</c>,
    /// <c>bl.spamcop.net</c>, <c>list.dnswl.org=127.0.[0..255].[1..3]*-2</c> (an allowlist: a negative weight). The filter
    /// matches the list's A answers octet by octet (a number, or <c>[a..b;c]</c>); without it any answer counts. The
    /// weight defaults to 1. Default: none, so nothing is looked up: a list's terms of use (free for small sites, paid
    /// past a volume, never through a public resolver) are for the administrator to accept.
    /// </summary>
    public List<string> Sites { get; set; } = [];

    /// <summary>
    /// The combined weight of the lists that name a client at which its mail is refused. Default 1 (postscreen's
    /// default): one blocklist of weight 1 is enough, and an allowlist of weight -1 cancels it.
    /// </summary>
    public int Threshold { get; set; } = 1;

    /// <summary>
    /// How long the lookups of all lists together may take (started at connect, awaited at the first RCPT); a list that
    /// has not answered by then is skipped for this client and logged. Default 10 s: twice a resolver's usual timeout,
    /// short against RFC 5321 §4.5.3.2's five minutes a client waits for a reply.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest reuse of a client's verdict, whatever the lists' TTLs say. Default 1 h, as <c>Dns:MaxCacheTtl</c>
    /// (postscreen's <c>postscreen_dnsbl_max_ttl</c> is 1 h too). Shorter TTLs are honoured as they are.
    /// </summary>
    public TimeSpan MaxCacheTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Reuse of a "not listed" answer that carries no SOA record (RFC 2308 §5 takes the negative TTL from it). Default
    /// 5 min: the usual negative TTL of the big lists' zones.
    /// </summary>
    public TimeSpan NegativeCacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Client verdicts remembered at once. Default 100000 (a few MB); past it, the oldest go first.</summary>
    public int CacheSize { get; set; } = 100_000;
}
