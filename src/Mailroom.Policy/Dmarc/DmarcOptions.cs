namespace Mailroom.Policy.Dmarc;

/// <summary>DMARC checking of mail received on port 25, bound from the <c>Dmarc</c> section.</summary>
public sealed class DmarcOptions
{
    public const string SectionName = "Dmarc";

    /// <summary>Evaluate DMARC (RFC 7489). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// What failing mail of a domain publishing <c>p=reject</c> gets: <c>Reject</c> (<c>550 5.7.1</c> at end of DATA),
    /// <c>Quarantine</c> (delivered to Junk) or <c>None</c> (delivered, result recorded). Default <c>Reject</c>.
    /// </summary>
    public DmarcPolicy RejectPolicy { get; set; } = DmarcPolicy.Reject;

    /// <summary>What failing mail of a domain publishing <c>p=quarantine</c> gets: <c>Quarantine</c> or <c>None</c>. Default <c>Quarantine</c>.</summary>
    public DmarcPolicy QuarantinePolicy { get; set; } = DmarcPolicy.Quarantine;

    /// <summary>The Public Suffix List file (Debian's <c>publicsuffix</c>); reloaded when it changes.</summary>
    public string PublicSuffixList { get; set; } = "/usr/share/publicsuffix/public_suffix_list.dat";
}
