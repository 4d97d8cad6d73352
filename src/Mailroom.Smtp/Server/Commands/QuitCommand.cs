using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>QUIT (RFC 5321 §4.1.1.10): 221, then the connection is closed.</summary>
internal sealed class QuitCommand : ISmtpCommand
{
    public ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        session.Reply(SmtpReplies.Bye);
        return ValueTask.FromResult(SessionAction.Close);
    }
}
