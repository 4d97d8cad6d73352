using Mailroom.Net;

namespace Mailroom.Smtp.Server;

/// <summary>One SMTP command (one per file in <c>Commands/</c>), run only in the states its table entry allows.</summary>
internal interface ISmtpCommand
{
    ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken);

    /// <summary>
    /// The command was refused for the session's state before running: consume any payload that belongs to it
    /// (a BDAT chunk) so the session stays in step. Default: nothing.
    /// </summary>
    ValueTask OnRefusedAsync(SmtpSession session, string argument, CancellationToken cancellationToken) => default;
}
