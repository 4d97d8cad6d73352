using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Sorting;
using Mailroom.Imap.Server;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// The messages SORT and THREAD order: those of the selected mailbox matching the search keys (evaluated as SEARCH
/// does), each with its cached sort keys. Stops when the client leaves.
/// </summary>
internal static class SortSelection
{
    public static SortableMessage[] Matching(ImapSession session, ImapRequest request, SearchKey key, CancellationToken cancellationToken,
        out ulong highestModSeq)
    {
        SelectedMailbox selected = session.Selected!;
        ImapOptions options = session.Context.Options;
        SortKeyCache cache = SortKeyCache.For(selected.Folder);
        int lastSequence = selected.Count;
        uint lastUid = lastSequence == 0 ? 0 : selected.Messages[^1].Uid;
        List<SortableMessage> matches = new(key is SearchKey.All ? lastSequence : 16);
        highestModSeq = 0;
        for (int i = 0; i < lastSequence; i++)
        {
            if ((i & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            MessageRecord record = selected.Messages[i];
            if (key is not SearchKey.All && !Matches(session, request, selected, key, i, record, lastSequence, lastUid))
            {
                continue;
            }

            MessageSortKeys keys = cache.Get(record, session.Context.Limits, options.MaxThreadReferences,
                ex => ImapLog.MessageFailed(session.Context.Diagnostics, ex, session.User!, selected.Folder.Name, record.Uid, request.Name));
            matches.Add(new SortableMessage(i + 1, request.Uid ? record.Uid : (uint)(i + 1), record.InternalDate.UtcTicks, record.Size, keys));
            highestModSeq = Math.Max(highestModSeq, record.ModSeq);
        }

        return [.. matches];
    }

    private static bool Matches(ImapSession session, ImapRequest request, SelectedMailbox selected, SearchKey key, int index, MessageRecord record,
        int lastSequence, uint lastUid)
    {
        using var message = new SearchMessage(selected.Folder, index + 1, record, selected.IsRecent(record.Uid), session.Context.Limits);
        try
        {
            return SearchEvaluator.Matches(key, message, lastSequence, lastUid, selected.SavedResult);
        }
        catch (MessageGoneException)
        {
            // Expunged by another session meanwhile: its content cannot match anything.
            return false;
        }
        catch (Exception ex) when (MessageUnreadableException.IsContentFailure(ex))
        {
            ImapLog.MessageFailed(session.Context.Diagnostics, ex, session.User!, selected.Folder.Name, record.Uid, request.Name);
            return false;
        }
    }
}
