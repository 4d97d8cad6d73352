namespace Mailroom.Policy.Dmarc;

/// <summary>A DMARC policy record (RFC 7489 §6.3) as far as a receiver acts on it.</summary>
public sealed record DmarcRecord(string Text, DmarcPolicy Policy)
{
    /// <summary><c>sp=</c>: the policy for subdomains; the domain policy when absent.</summary>
    public DmarcPolicy? SubdomainPolicy { get; init; }

    /// <summary><c>adkim=s</c>: DKIM identifiers must match exactly (default relaxed).</summary>
    public bool StrictDkim { get; init; }

    /// <summary><c>aspf=s</c>: SPF identifiers must match exactly (default relaxed).</summary>
    public bool StrictSpf { get; init; }

    /// <summary><c>pct=</c>: the percentage of failing mail the policy applies to (default 100).</summary>
    public int Percent { get; init; } = 100;

    /// <summary>
    /// Parses a record (§6.4): <c>v=DMARC1</c> first, then tags; an unknown or missing <c>p=</c> makes the record
    /// unusable (§6.6.3), other invalid values fall back to their defaults.
    /// </summary>
    public static DmarcRecord? TryParse(string text)
    {
        string[] parts = text.Split(';');
        if (parts.Length == 0 || !parts[0].Trim().Replace(" ", "", StringComparison.Ordinal).Equals("v=DMARC1", StringComparison.Ordinal))
        {
            return null;
        }

        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in parts.Skip(1))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                tags.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim());
            }
        }

        if (!tags.TryGetValue("p", out string? p) || ParsePolicy(p) is not { } policy)
        {
            return null;
        }

        int percent = tags.TryGetValue("pct", out string? pct) && int.TryParse(pct, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) && value <= 100
            ? value
            : 100;
        return new DmarcRecord(text, policy)
        {
            SubdomainPolicy = tags.TryGetValue("sp", out string? sp) ? ParsePolicy(sp) : null,
            StrictDkim = tags.TryGetValue("adkim", out string? adkim) && adkim.Equals("s", StringComparison.OrdinalIgnoreCase),
            StrictSpf = tags.TryGetValue("aspf", out string? aspf) && aspf.Equals("s", StringComparison.OrdinalIgnoreCase),
            Percent = percent,
        };
    }

    private static DmarcPolicy? ParsePolicy(string text) => text.ToLowerInvariant() switch
    {
        "none" => DmarcPolicy.None,
        "quarantine" => DmarcPolicy.Quarantine,
        "reject" => DmarcPolicy.Reject,
        _ => null,
    };
}

/// <summary>The requested handling of failing mail (RFC 7489 §6.3 <c>p=</c>), and the disposition applied.</summary>
public enum DmarcPolicy
{
    None,
    Quarantine,
    Reject,
}
