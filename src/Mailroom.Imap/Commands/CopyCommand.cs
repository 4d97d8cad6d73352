using System.Globalization;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// COPY (RFC 9051 §6.4.7) and MOVE (RFC 6851), plain and UID forms, answering with UIDPLUS's COPYUID (RFC 4315 §3).
/// MOVE sends COPYUID untagged first, then the EXPUNGEs (RFC 6851 §4.3). A COPY the user's quota has no room for is
/// refused with OVERQUOTA (RFC 9208); a MOVE is not, because it moves messages within the user's one quota root and so
/// takes no more storage (as Dovecot and mox: a user over quota must still be able to move mail to Trash to clean up).
/// </summary>
internal sealed class CopyCommand(bool move) : IImapCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        SequenceSet set = reader.ReadSequenceSet();
        reader.ReadSpace();
        string name = reader.ReadMailboxName(session.Utf8Names);
        reader.ReadEnd();
        SelectedMailbox selected = session.Selected!;
        IReadOnlyList<int> indexes = selected.Resolve(set, request.Uid);
        if (move && selected.ReadOnly)
        {
            session.No(request, "[READ-ONLY] Mailbox is read-only.");
            return SessionAction.Continue;
        }

        using FolderLease? target = session.Context.Mailboxes.OpenFolder(session.User!, name);
        if (target is null)
        {
            // RFC 9051 §6.4.7: TRYCREATE tells the client that creating the mailbox would help.
            session.No(request, "[TRYCREATE] Mailbox doesn't exist: " + name);
            return SessionAction.Continue;
        }

        string done = move ? "Move completed." : "Copy completed.";
        if (indexes.Count == 0)
        {
            session.Ok(request, request.Uid ? "No messages found." : done);
            return SessionAction.Continue;
        }

        var uids = new List<uint>(indexes.Count);
        long bytes = 0;
        foreach (int index in indexes)
        {
            uids.Add(selected.Messages[index].Uid);
            bytes += selected.Messages[index].Size;
        }

        if (!move && await StorageQuota.RefuseIfOverAsync(session, request, bytes, cancellationToken).ConfigureAwait(false))
        {
            return SessionAction.Continue;
        }

        CopyResult result = move
            ? await selected.Folder.MoveToAsync(target.Folder, uids, cancellationToken).ConfigureAwait(false)
            : await selected.Folder.CopyToAsync(target.Folder, uids, cancellationToken).ConfigureAwait(false);
        string copyUid = result.SourceUids.Count == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"[COPYUID {result.DestinationUidValidity} {SequenceSet.Format(result.SourceUids)} {SequenceSet.Format(result.DestinationUids)}] ");
        if (move)
        {
            if (copyUid.Length > 0)
            {
                session.WriteLine("* OK " + copyUid + "Moved UIDs.");
            }

            session.Ok(request, done);
        }
        else
        {
            session.Ok(request, copyUid + done);
        }

        return SessionAction.Continue;
    }
}
