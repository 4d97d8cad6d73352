using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>LOGOUT (RFC 9051 §6.1.3): <c>* BYE</c>, then the tagged OK, then the connection closes.</summary>
internal sealed class LogoutCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        request.Arguments().ReadEnd();
        return ValueTask.FromResult(session.Logout(request));
    }
}
