namespace Mailroom.Policy.Spf;

/// <summary>SPF checking of mail received on port 25, bound from the <c>Spf</c> section.</summary>
public sealed class SpfOptions
{
    public const string SectionName = "Spf";

    /// <summary>Check SPF on port 25 (never on submission: those clients authenticate). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Refuse mail whose SPF result is <c>fail</c> with <c>550 5.7.23</c> (RFC 7372), and answer a <c>temperror</c>
    /// with <c>451 4.7.24</c>. Default false: DMARC decides with both SPF and DKIM, as mox does; set true for
    /// policyd-spf's <c>Mail_From_reject = Fail</c> behaviour.
    /// </summary>
    public bool RejectFail { get; set; }

    /// <summary>DNS-querying terms per evaluation (RFC 7208 §4.6.4: 10).</summary>
    public int MaxDnsLookups { get; set; } = 10;

    /// <summary>Lookups that find nothing per evaluation (RFC 7208 §4.6.4: 2).</summary>
    public int MaxVoidLookups { get; set; } = 2;

    internal SpfLimits Limits => new() { MaxDnsTerms = MaxDnsLookups, MaxVoidLookups = MaxVoidLookups };
}
