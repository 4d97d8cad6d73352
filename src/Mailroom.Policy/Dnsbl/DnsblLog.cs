using Microsoft.Extensions.Logging;

namespace Mailroom.Policy.Dnsbl;

/// <summary>Mail-log lines of the DNSBL check, in postscreen's and dnsblog's wording (<c>DNSBL rank 3 for [192.0.2.1]</c>).</summary>
internal static partial class DnsblLog
{
    [LoggerMessage(EventId = 1620, Level = LogLevel.Information, Message = "DNSBL rank {Score} for [{Client}] ({Zones})")]
    public static partial void Rank(ILogger logger, int score, string client, string zones);

    // dnsblog's words; the line starts with "warning: " as Postfix's does, whatever our level.
#pragma warning disable SYSLIB1012
    [LoggerMessage(EventId = 1621, Level = LogLevel.Information, Message = "warning: dnsblog_query: lookup error for DNS query {Name}: {Error}; list skipped")]
    public static partial void LookupFailed(ILogger logger, string name, string error);
#pragma warning restore SYSLIB1012
}
