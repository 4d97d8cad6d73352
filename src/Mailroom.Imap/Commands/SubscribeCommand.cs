using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8); a name need not exist (a subscription may outlive its mailbox).</summary>
internal sealed class SubscribeCommand(bool subscribe) : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        reader.ReadEnd();
        session.Context.Mailboxes.SetSubscribed(session.User!, name, subscribe);
        session.Ok(request, subscribe ? "Subscribe completed." : "Unsubscribe completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
