namespace Mailroom.Policy.Dns;

/// <summary>The answer to one DNS question.</summary>
/// <param name="Status">Whether records were found, and if not, whether that is final.</param>
/// <param name="Records">The records (empty unless <see cref="DnsLookupStatus.Found"/>).</param>
/// <param name="Error">The resolver's wording of a failure, for the mail log.</param>
public sealed record DnsLookup<T>(DnsLookupStatus Status, IReadOnlyList<T> Records, string? Error = null);
