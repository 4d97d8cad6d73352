namespace Mailroom.Policy.Dns;

/// <summary>How a DNS question was answered.</summary>
public enum DnsLookupStatus
{
    /// <summary>At least one record of the asked type.</summary>
    Found,

    /// <summary>The name exists but has no record of that type (NOERROR, empty answer).</summary>
    NoRecords,

    /// <summary>The name does not exist (NXDOMAIN): a permanent failure.</summary>
    NotFound,

    /// <summary>SERVFAIL, REFUSED or a timeout: try again later.</summary>
    TemporaryFailure,
}
