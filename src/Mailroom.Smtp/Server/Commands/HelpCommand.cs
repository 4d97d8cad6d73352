using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>HELP (RFC 5321 §4.1.1.8): a 214 listing the commands.</summary>
internal sealed class HelpCommand : ISmtpCommand
{
    public ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        session.Reply(SmtpReplies.Help);
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
