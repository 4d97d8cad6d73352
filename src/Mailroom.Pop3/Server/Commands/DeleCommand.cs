using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>DELE msg (RFC 1939 §5): only marks the message; it is removed at QUIT, in the UPDATE state.</summary>
internal sealed class DeleCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        if (session.TryGetMessage(argument, out _, out MaildropMessage message))
        {
            message.Deleted = true;
            session.Ok("Marked to be deleted.");
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
