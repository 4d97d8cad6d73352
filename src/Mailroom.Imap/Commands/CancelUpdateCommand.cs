using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// CANCELUPDATE "tag" *(SP "tag") (RFC 5267 §4.3): stops the updates of the search or sort contexts those commands kept
/// with RETURN (UPDATE). A tag that names no kept context gets NO, and nothing is cancelled after it.
/// </summary>
internal sealed class CancelUpdateCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        List<string> tags = [];
        do
        {
            reader.ReadSpace();
            tags.Add(reader.ReadAString());
        }
        while (!reader.AtEnd);

        SearchUpdateContexts contexts = session.Selected!.SearchContexts;
        foreach (string tag in tags)
        {
            if (!contexts.Cancel(tag))
            {
                session.No(request, "No search context is updated for one of those tags.");
                return ValueTask.FromResult(SessionAction.Continue);
            }
        }

        session.Ok(request, "Updates cancelled.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
