using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>IDLE (RFC 2177, RFC 9051 §6.3.13): updates as they happen until the client sends DONE.</summary>
internal sealed class IdleCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        request.Arguments().ReadEnd();
        return session.IdleAsync(request, cancellationToken);
    }
}
