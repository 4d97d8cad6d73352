namespace Mailroom.Policy.Spf;

/// <summary>The mechanisms of RFC 7208 §5.</summary>
internal enum SpfMechanismKind
{
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
}

/// <summary>
/// One directive of a record: qualifier, mechanism, its domain-spec (unexpanded macro-string) and its CIDR lengths
/// or network. <see cref="Text"/> is the term as written, for the log.
/// </summary>
internal sealed record SpfTerm(char Qualifier, SpfMechanismKind Kind, string Text)
{
    public string? DomainSpec { get; init; }

    public int Ip4Prefix { get; init; } = 32;

    public int Ip6Prefix { get; init; } = 128;

    public System.Net.IPAddress? Network { get; init; }

    /// <summary>Terms that cost a DNS query and count against the limit of 10 (RFC 7208 §4.6.4).</summary>
    public bool QueriesDns => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;
}
