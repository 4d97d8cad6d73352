using Mailroom.Imap.Protocol.Notify;
using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// NOTIFY (RFC 5465 §3): <c>NOTIFY NONE</c>, or <c>NOTIFY SET [STATUS]</c> with event groups. Events this server
/// cannot report (AnnotationChange without ANNOTATE, the METADATA events without METADATA, unknown ones) are refused
/// with <c>NO [BADEVENT (...)]</c> naming those it can (§5); the notifications in effect stay as they were.
/// </summary>
internal sealed class NotifyCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        NotifyRequest notify = NotifyRequest.Parse(request.Arguments(), session.Utf8Names, session.Context.Options.MaxNotifyMailboxes);
        if (notify.Groups.Any(g => g.NewMessageFetch?.Items.Count > session.Context.Options.MaxFetchItems))
        {
            // The same cap as FETCH's: each pushed message is a FETCH of these items.
            session.No(request, "[LIMIT] Too many FETCH items.");
        }
        else if (notify.UnsupportedEvents.Count > 0)
        {
            session.No(request, "[BADEVENT " + NotifyRequest.SupportedEventList + "] Unsupported event: " + notify.UnsupportedEvents[0]);
        }
        else if (notify.IsNone)
        {
            session.ClearNotify();
            session.Ok(request, "NOTIFY completed.");
        }
        else if (!session.SetNotify(notify))
        {
            session.No(request, "[LIMIT] Too many mailboxes to watch.");
        }
        else
        {
            session.Ok(request, "NOTIFY completed.");
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
