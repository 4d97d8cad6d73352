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
        out ulong highestModSeq) =>
        Matching(session, request, key, cancellationToken, out highestModSeq, out _);

    /// <param name="anyGone">Set when a message was left out because its content was gone (see <see cref="MessageMatcher"/>).</param>
    public static SortableMessage[] Matching(ImapSession session, ImapRequest request, SearchKey key, CancellationToken cancellationToken,
        out ulong highestModSeq, out bool anyGone)
    {
        anyGone = false;
        SelectedMailbox selected = session.Selected!;
        SortKeyCache cache = SortKeyCache.For(selected.Folder);
        int lastSequence = selected.Count;
        List<SortableMessage> matches = new(key is SearchKey.All ? lastSequence : 16);
        highestModSeq = 0;
        for (int i = 0; i < lastSequence; i++)
        {
            if ((i & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            MessageRecord record = selected.Messages[i];
            bool matched = MessageMatcher.Matches(session, request.Name, key, i, out bool gone);
            anyGone |= gone;
            if (!matched)
            {
                continue;
            }

            matches.Add(Sortable(session, request.Name, cache, i, request.Uid));
            highestModSeq = Math.Max(highestModSeq, record.ModSeq);
        }

        return [.. matches];
    }

    /// <summary>The message at <paramref name="index"/> with its cached sort keys, numbered by UID or sequence number.</summary>
    public static SortableMessage Sortable(ImapSession session, string commandName, SortKeyCache cache, int index, bool uid)
    {
        SelectedMailbox selected = session.Selected!;
        MessageRecord record = selected.Messages[index];
        MessageSortKeys keys = cache.Get(record, session.Context.Limits, session.Context.Options.MaxThreadReferences, out Exception? unreadable);
        if (unreadable is not null)
        {
            ImapLog.MessageFailed(session.Context.Diagnostics, unreadable, session.User!, selected.Folder.Name, record.Uid, commandName);
        }

        return new SortableMessage(index + 1, uid ? record.Uid : (uint)(index + 1), record.InternalDate.UtcTicks, record.Size, keys);
    }
}
