namespace Mailroom.Sieve.Runtime;

/// <summary>
/// The SMTP envelope a script sees (RFC 5228 §5.4 <c>envelope</c>): the reverse path (empty for the null sender), the
/// final recipient with its plus-address detail (<c>samt+lists@example.org</c>), and the recipient as first given.
/// </summary>
public sealed record SieveEnvelope(string From, string To, string OriginalTo)
{
    /// <summary>The SASL identity of the sender's session, when it authenticated (RFC 5228 §5.4 "auth").</summary>
    public string? AuthenticatedUser { get; init; }

    /// <summary>The client's host name and address (RFC 5183 remote-host, remote-ip).</summary>
    public string RemoteHost { get; init; } = "";

    public string RemoteIp { get; init; } = "";
}
