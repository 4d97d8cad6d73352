using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>STATUS (RFC 9051 §6.3.11): counters of any mailbox without selecting it.</summary>
internal sealed class StatusCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        reader.ReadSpace();
        List<string> items = StatusItems.Parse(reader.ReadParenthesizedAtoms(), session);
        reader.ReadEnd();
        if (StatusItems.TryWrite(session, name, items))
        {
            session.Ok(request, "Status completed.");
        }
        else
        {
            session.No(request, "[NONEXISTENT] Mailbox doesn't exist: " + name);
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
