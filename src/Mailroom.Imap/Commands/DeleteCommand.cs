using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>DELETE (RFC 9051 §6.3.5). The selected mailbox is refused: the session would be left selecting nothing.</summary>
internal sealed class DeleteCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        reader.ReadEnd();
        if (session.Selected is { } selected && selected.Folder.Name == name)
        {
            session.No(request, "[INUSE] Can't delete the selected mailbox.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        FolderResults.Reply(session, request, session.Context.Mailboxes.DeleteFolder(session.User!, name), "Delete completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
