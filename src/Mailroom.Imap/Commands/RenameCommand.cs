using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>RENAME (RFC 9051 §6.3.6): children move along; renaming INBOX moves its messages into a new mailbox.</summary>
internal sealed class RenameCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string from = reader.ReadMailboxName(session.Utf8Names);
        reader.ReadSpace();
        string to = reader.ReadMailboxName(session.Utf8Names).TrimEnd('/');
        reader.ReadEnd();
        FolderResults.Reply(session, request, session.Context.Mailboxes.RenameFolder(session.User!, from, to), "Rename completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
