using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>RSET (RFC 1939 §5): unmarks every message marked deleted.</summary>
internal sealed class RsetCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        foreach (MaildropMessage message in session.Drop!.Messages)
        {
            message.Deleted = false;
        }

        session.Ok("");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
