namespace Mailroom.Sieve.Runtime;

/// <summary>A record to keep once the actions were carried out: a duplicate seen (RFC 7352) or a vacation reply sent (RFC 5230 §4.2).</summary>
public sealed record TrackingMark(string Key, DateTimeOffset Expires);
