using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// STARTTLS (RFC 9051 §6.2.1): the tagged OK, then the loop discards any pipelined plaintext, runs the handshake and
/// calls OnTlsStarted, which forgets everything said before.
/// </summary>
internal sealed class StartTlsCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        request.Arguments().ReadEnd();
        if (session.Client.IsSecure)
        {
            session.Bad(request.Tag, "TLS is already active.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        session.Ok(request, "Begin TLS negotiation now.");
        return ValueTask.FromResult(SessionAction.StartTls);
    }
}
