using Mailroom.Policy.Dnsbl;
using Mailroom.Policy.Limits;

namespace Mailroom.Smtp;

/// <summary>The server-wide defences an SMTP listener shares with the others (one cache, one set of counters).</summary>
/// <param name="Blocklists">DNS blocklists and allowlists, checked at RCPT for untrusted, unauthenticated clients of port 25.</param>
/// <param name="SendingLimits">Hourly message and recipient limits of authenticated sessions.</param>
public sealed record SmtpAbuseControls(DnsblChecker? Blocklists, SendingRateLimiter? SendingLimits);
