using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// CREATE (RFC 9051 §6.3.4): a trailing hierarchy delimiter only declares the intent to create children, so it is
/// dropped; missing parents are created too.
/// </summary>
internal sealed class CreateCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names).TrimEnd('/');
        reader.ReadEnd();
        FolderResults.Reply(session, request, session.Context.Mailboxes.CreateFolder(session.User!, name), "Create completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
