using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

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
        FolderResult result = session.Context.Mailboxes.CreateFolder(session.User!, name);

        // RFC 8474 §4.1: the tagged OK of CREATE names the new mailbox's MAILBOXID.
        string? mailboxId = result == FolderResult.Ok ? session.Context.Mailboxes.GetMailboxId(session.User!, name) : null;
        FolderResults.Reply(session, request, result, mailboxId is null ? "Create completed." : "[MAILBOXID (" + mailboxId + ")] Create completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
