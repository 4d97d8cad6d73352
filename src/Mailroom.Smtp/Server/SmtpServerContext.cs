using System.Net;
using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Net;
using Microsoft.Extensions.Logging;

namespace Mailroom.Smtp.Server;

/// <summary>Everything a session of one listener shares: settings, collaborators and loggers.</summary>
internal sealed class SmtpServerContext
{
    public required SmtpListenerRole Role { get; init; }

    public required SmtpOptions Options { get; init; }

    public required IReadOnlyList<IPNetwork> TrustedNetworks { get; init; }

    public required IMailDirectory Directory { get; init; }

    public required IMessageSubmitter Submitter { get; init; }

    public required LoginGate Login { get; init; }

    /// <summary>Mailbox quota checks at RCPT and DATA; null when quotas are not enforced at SMTP time.</summary>
    public MailboxQuotaCheck? Quota { get; init; }

    /// <summary>The recipient's filter, asked before the reply to DATA whether it rejects the message; null: none.</summary>
    public Core.Filtering.IDeliveryFilter? Filter { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    /// <summary>SPF, DKIM, DMARC and ARC checks at end of DATA on port 25; null when not configured.</summary>
    public Policy.InboundChecker? Policy { get; init; }

    /// <summary>Reverses SRS addresses at RCPT (bounces of forwarded mail); null when not configured.</summary>
    public Policy.OutboundAuthenticator? Outbound { get; init; }

    /// <summary>DNS blocklists and allowlists for untrusted, unauthenticated clients of port 25; null when not configured.</summary>
    public Policy.Dnsbl.DnsblChecker? Blocklists { get; init; }

    /// <summary>Hourly sending limits of authenticated sessions; null when not configured.</summary>
    public Policy.Limits.SendingRateLimiter? SendingLimits { get; init; }

    /// <summary>Users' own sending limits (the directory, when it keeps them).</summary>
    public ISendingLimitSource? UserLimits { get; init; }

    /// <summary>The <c>mailroom/postscreen</c> mail-log category (pregreet test).</summary>
    public required ILogger Postscreen { get; init; }

    /// <summary>The milters of this listener (port 25's or submission's); null when none is configured.</summary>
    public Policy.Milter.MilterChain? Milters { get; init; }

    /// <summary>Header fields that file a message in Junk (<see cref="SmtpOptions.SpamHeaders"/>).</summary>
    public required Policy.SpamHeaders SpamHeaders { get; init; }

    /// <summary>The <c>mailroom/smtpd</c> mail-log category.</summary>
    public required ILogger Smtpd { get; init; }

    /// <summary>The <c>mailroom/cleanup</c> mail-log category.</summary>
    public required ILogger Cleanup { get; init; }

    /// <summary>Diagnostics (not mail-log).</summary>
    public required ILogger Diagnostics { get; init; }

    /// <summary>Submission and SMTPS require AUTH before MAIL and get Message-ID/Date added.</summary>
    public bool IsSubmission => Role != SmtpListenerRole.Mta;
}
