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
        ulong? highestModSeq = null;
        if (expunge && !selected.ReadOnly && selected.Folder.Expunge(null).Count > 0 && session.QResyncEnabled)
        {
            // RFC 7162 §3.2.8: with QRESYNC on, a CLOSE that removed messages reports the new HIGHESTMODSEQ in its
            // tagged OK (no VANISHED: CLOSE reports no expunges).
            highestModSeq = selected.Folder.Refresh().HighestModSeq;
        }

        session.CloseMailbox();
        session.Ok(request, (highestModSeq is { } modSeq ? FormattableString.Invariant($"[HIGHESTMODSEQ {modSeq}] ") : "")
            + (expunge ? "Close completed." : "Unselect completed."));
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
