namespace Mailroom.Policy.Arc;

/// <summary>ARC (RFC 8617), bound from the <c>Arc</c> section.</summary>
public sealed class ArcOptions
{
    public const string SectionName = "Arc";

    /// <summary>Verify ARC chains of mail received on port 25. Default true.</summary>
    public bool Verify { get; set; } = true;

    /// <summary>Seal mail that an alias forwards off-site, with the forwarding domain's DKIM key. Default true.</summary>
    public bool Seal { get; set; } = true;

    /// <summary>
    /// Sealers (their <c>d=</c> domains) whose results are trusted: a message failing DMARC passes when its valid chain
    /// was sealed by one of them and that hop saw DMARC pass (RFC 8617 §7.2). Default none.
    /// </summary>
    public List<string> TrustedSealers { get; set; } = [];
}
