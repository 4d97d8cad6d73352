using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1, only the given UIDs): removes \Deleted messages; the
/// EXPUNGE responses come from the ordinary update diff, together with any by other sessions.
/// </summary>
internal sealed class ExpungeCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        IReadOnlyList<uint>? uids = null;
        SelectedMailbox selected = session.Selected!;
        if (request.Uid)
        {
            reader.ReadSpace();
            uids = [.. selected.Resolve(reader.ReadSequenceSet(), uid: true).Select(i => selected.Messages[i].Uid)];
        }

        reader.ReadEnd();
        if (selected.ReadOnly)
        {
            session.No(request, "[READ-ONLY] Mailbox is read-only.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        int removed = uids is null || uids.Count > 0 ? selected.Folder.Expunge(uids).Count : 0;
        if (removed > 0 && session.QResyncEnabled)
        {
            // RFC 7162 §3.2.7: with QRESYNC on, an EXPUNGE that removed messages reports the new HIGHESTMODSEQ in its
            // tagged OK, after the VANISHED responses (sent here first so the value covers them).
            session.SendUpdates(allowExpunge: true);
            session.Ok(request, FormattableString.Invariant($"[HIGHESTMODSEQ {selected.HighestModSeq}] Expunge completed."));
            return ValueTask.FromResult(SessionAction.Continue);
        }

        session.Ok(request, "Expunge completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
