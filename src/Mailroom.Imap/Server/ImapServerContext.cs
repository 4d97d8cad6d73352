using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Imap.Protocol.Mime;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;

namespace Mailroom.Imap.Server;

/// <summary>Everything the sessions of one listener share: settings, collaborators and loggers.</summary>
internal sealed record ImapServerContext
{
    public required ImapListenerRole Role { get; init; }

    public required ImapOptions Options { get; init; }

    public required IMailboxStore Mailboxes { get; init; }

    /// <summary>The users' storage quota (RFC 9208 GETQUOTA, OVERQUOTA on APPEND and COPY).</summary>
    public required IMailboxQuota Quota { get; init; }

    /// <summary>What parsing and describing one message may cost (from <see cref="Options"/>).</summary>
    public required MessageLimits Limits { get; init; }

    public required LoginGate Login { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The <c>mailroom/imap</c> mail-log category.</summary>
    public required ILogger Maillog { get; init; }

    /// <summary>Diagnostics (not mail-log).</summary>
    public required ILogger Diagnostics { get; init; }
}
