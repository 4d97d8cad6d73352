using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>NAMESPACE (RFC 2342, RFC 9051 §6.3.10): one personal namespace, no prefix, "/" as the hierarchy delimiter.</summary>
internal sealed class NamespaceCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        request.Arguments().ReadEnd();
        session.WriteLine("* NAMESPACE ((\"\" \"/\")) NIL NIL");
        session.Ok(request, "Namespace completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
