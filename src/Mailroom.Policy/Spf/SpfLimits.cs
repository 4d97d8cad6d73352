namespace Mailroom.Policy.Spf;

/// <summary>The processing limits of RFC 7208 §4.6.4, each configurable (<c>Spf:*</c>), with the RFC's values as defaults.</summary>
public sealed record SpfLimits
{
    /// <summary>DNS-querying terms per evaluation (RFC: 10); more is a <c>permerror</c>.</summary>
    public int MaxDnsTerms { get; init; } = 10;

    /// <summary>Void lookups per evaluation (RFC: SHOULD be 2); more is a <c>permerror</c>.</summary>
    public int MaxVoidLookups { get; init; } = 2;

    /// <summary>Address lookups per <c>mx</c> mechanism, and names tried per <c>ptr</c> (RFC: 10).</summary>
    public int MaxNameLookups { get; init; } = 10;
}
