using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9) of every item, BINARY (RFC 3516) and CONDSTORE's MODSEQ and
/// CHANGEDSINCE (RFC 7162 §3.1.4). A non-PEEK body fetch in a read-write mailbox sets \Seen first and the new FLAGS
/// join the response (RFC 9051 §6.4.5). Responses stream (<see cref="FetchResponseWriter"/>); a message that vanished,
/// has an unknown transfer encoding or cannot be read is found out before any of its response is written.
/// </summary>
internal sealed class FetchCommand : IImapCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        SequenceSet set = reader.ReadSequenceSet();
        reader.ReadSpace();
        FetchRequest fetch = FetchRequest.Parse(ref reader);
        reader.ReadEnd();
        if (fetch.Items.Count > session.Context.Options.MaxFetchItems)
        {
            session.No(request, "[LIMIT] Too many FETCH items.");
            return SessionAction.Continue;
        }

        if (fetch.Vanished)
        {
            // RFC 7162 §3.2.6: VANISHED only with UID FETCH and CHANGEDSINCE, and only once QRESYNC is enabled.
            if (!session.QResyncEnabled)
            {
                throw new ImapParseException("VANISHED needs ENABLE QRESYNC first.");
            }

            if (!request.Uid || fetch.ChangedSince is null)
            {
                throw new ImapParseException("VANISHED needs UID FETCH with CHANGEDSINCE.");
            }
        }

        if (request.Uid || session.QResyncEnabled)
        {
            // RFC 7162 §3.2.4: with QRESYNC on, every untagged FETCH carries the UID.
            fetch.EnsureUid();
        }

        if (fetch.ChangedSince is not null || fetch.Items.Any(static i => i.Kind == FetchItemKind.ModSeq))
        {
            // RFC 7162 §3.1: FETCH MODSEQ or CHANGEDSINCE enables CONDSTORE.
            session.EnableCondStore();
        }

        SelectedMailbox selected = session.Selected!;
        var uids = new List<uint>();
        foreach (int index in selected.Resolve(set, request.Uid))
        {
            MessageRecord record = selected.Messages[index];
            if (fetch.ChangedSince is not { } since || record.ModSeq > since)
            {
                uids.Add(record.Uid);
            }
        }

        if (fetch.Vanished)
        {
            WriteVanished(session, selected, set, fetch.ChangedSince!.Value);
        }

        HashSet<uint> seenNow = MarkSeen(selected, fetch, uids);
        var writer = new FetchResponseWriter(session, fetch);
        bool gone = false;
        bool unreadable = false;
        foreach (uint uid in uids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int index = selected.IndexOfUid(uid);
            try
            {
                await writer.WriteAsync(index + 1, selected.Messages[index], seenNow.Contains(uid), cancellationToken).ConfigureAwait(false);
            }
            catch (MessageGoneException)
            {
                gone = true;
                continue;
            }
            catch (UnknownCteException)
            {
                // RFC 3516 §4.2: the server cannot decode the part.
                session.No(request, "[UNKNOWN-CTE] Unknown Content-Transfer-Encoding.");
                return SessionAction.Continue;
            }
            catch (MessageUnreadableException ex)
            {
                // Nothing of this message was written: the others are still answered.
                ImapLog.MessageFailed(session.Context.Diagnostics, ex.InnerException!, session.User!, selected.Folder.Name, uid, request.Name);
                unreadable = true;
                continue;
            }

            session.KeepAlive();
            await session.FlushIfLargeAsync(cancellationToken).ConfigureAwait(false);
        }

        if (gone)
        {
            session.No(request, "[EXPUNGEISSUED] Some of the requested messages no longer exist.");
        }
        else if (unreadable)
        {
            session.No(request, "[SERVERBUG] Some messages could not be read. Refer to server log for more information.");
        }
        else
        {
            session.Ok(request, "Fetch completed.");
        }

        return SessionAction.Continue;
    }

    /// <summary>
    /// RFC 7162 §3.2.6: <c>* VANISHED (EARLIER) uids</c> for the UIDs of the set expunged since the CHANGEDSINCE
    /// mod-sequence, before the FETCH responses; "$" stands for the saved search result's UIDs (RFC 5182).
    /// </summary>
    private static void WriteVanished(ImapSession session, SelectedMailbox selected, SequenceSet set, ulong changedSince)
    {
        SequenceSet? known = set;
        if (set.IsSavedResult)
        {
            known = selected.SavedResult.Count > 0 && SequenceSet.TryParse(SequenceSet.Format(selected.SavedResult.Order()), out SequenceSet saved)
                ? saved
                : null;
            if (known is null)
            {
                return;
            }
        }

        string vanished = VanishedUids.Compute(selected, changedSince, known);
        if (vanished.Length > 0)
        {
            session.WriteLine("* VANISHED (EARLIER) " + vanished);
        }
    }

    /// <summary>Sets \Seen on unseen messages a non-PEEK item reads, in a read-write mailbox; returns those changed.</summary>
    private static HashSet<uint> MarkSeen(SelectedMailbox selected, FetchRequest fetch, List<uint> uids)
    {
        if (selected.ReadOnly || !fetch.SetsSeen)
        {
            return [];
        }

        var unseen = uids.Where(uid => (selected.Messages[selected.IndexOfUid(uid)].Flags & MessageFlags.Seen) == 0).ToList();
        if (unseen.Count == 0)
        {
            return [];
        }

        FlagUpdateResult result = selected.Folder.UpdateFlags(unseen, FlagUpdateMode.Add, MessageFlags.Seen, [], null);
        var changed = new HashSet<uint>();
        foreach (MessageRecord record in result.Changed)
        {
            selected.Update(record);
            changed.Add(record.Uid);
        }

        return changed;
    }
}
