using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>CAPABILITY (RFC 9051 §6.1.1): what the server offers in the current state on this connection.</summary>
internal sealed class CapabilityCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        request.Arguments().ReadEnd();
        session.WriteLine("* CAPABILITY " + session.Capabilities());
        session.Ok(request, "Capability completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
