using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// NOOP (RFC 9051 §6.1.2) and CHECK (RFC 3501 §6.4.1, gone from IMAP4rev2 but still sent by clients): nothing to do
/// but the mailbox updates, pending EXPUNGEs included, that <see cref="ImapSession.Ok"/> sends first.
/// </summary>
internal sealed class NoopCommand(string completion) : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        request.Arguments().ReadEnd();
        session.Ok(request, completion);
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
