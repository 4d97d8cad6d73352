using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// CLOSE (RFC 9051 §6.4.1): removes \Deleted messages when the mailbox is read-write, without EXPUNGE responses, and
/// returns to the authenticated state. UNSELECT (RFC 3691) does the same without removing anything.
/// </summary>
internal sealed class CloseCommand(bool expunge) : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        request.Arguments().ReadEnd();
        SelectedMailbox selected = session.Selected!;
        if (expunge && !selected.ReadOnly)
        {
            selected.Folder.Expunge(null);
        }

        session.CloseMailbox();
        session.Ok(request, expunge ? "Close completed." : "Unselect completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
