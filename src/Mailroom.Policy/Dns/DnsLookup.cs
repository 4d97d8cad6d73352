namespace Mailroom.Policy.Dns;

/// <summary>The answer to one DNS question.</summary>
/// <param name="Status">Whether records were found, and if not, whether that is final.</param>
/// <param name="Records">The records (empty unless <see cref="DnsLookupStatus.Found"/>).</param>
/// <param name="Error">The resolver's wording of a failure, for the mail log.</param>
public sealed record DnsLookup<T>(DnsLookupStatus Status, IReadOnlyList<T> Records, string? Error = null)
{
    /// <summary>
    /// How long the answer may be reused: the smallest TTL of the records, or for NXDOMAIN and NODATA the negative TTL of
    /// the zone's SOA (RFC 2308 §5: the lesser of the SOA record's TTL and its MINIMUM field); null when the answer did
    /// not say (a failure, or a negative answer without SOA).
    /// </summary>
    public TimeSpan? Ttl { get; init; }
}
