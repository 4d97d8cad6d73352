using Mailroom.Directory;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;

namespace Mailroom.Pop3.Server;

/// <summary>Everything the sessions of one listener share: settings, collaborators and loggers.</summary>
internal sealed record Pop3ServerContext
{
    public required Pop3ListenerRole Role { get; init; }

    public required Pop3Options Options { get; init; }

    public required IMailboxStore Store { get; init; }

    public required Pop3MailboxLocks Locks { get; init; }

    public required LoginGate Login { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The <c>mailroom/pop3</c> mail-log category.</summary>
    public required ILogger Maillog { get; init; }

    /// <summary>Diagnostics (not mail-log).</summary>
    public required ILogger Diagnostics { get; init; }
}
