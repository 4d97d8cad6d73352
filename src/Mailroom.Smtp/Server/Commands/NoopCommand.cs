using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>NOOP (RFC 5321 §4.1.1.9); any argument is ignored.</summary>
internal sealed class NoopCommand : ISmtpCommand
{
    public ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        session.Reply(SmtpReplies.Ok);
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
