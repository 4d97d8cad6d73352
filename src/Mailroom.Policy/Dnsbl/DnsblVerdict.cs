namespace Mailroom.Policy.Dnsbl;

/// <summary>What the lists say about one client.</summary>
/// <param name="Score">The weights of the lists that name it, added up (negative: allowlisted).</param>
/// <param name="Blocked">The score reached <see cref="DnsblOptions.Threshold"/>.</param>
/// <param name="Zone">When blocked, the blocklist of the largest weight that names the client (the one the reply names).</param>
/// <param name="Text">That list's TXT record for the client, made printable and cut short; null when it has none.</param>
public sealed record DnsblVerdict(int Score, bool Blocked, string? Zone, string? Text)
{
    public static readonly DnsblVerdict Clean = new(0, false, null, null);
}
