using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// Whether one message of the selected mailbox matches search keys: the single test SEARCH, SORT, THREAD and the kept
/// search contexts of RFC 5267 all use, opening the message file only when a key needs its content.
/// </summary>
internal static class MessageMatcher
{
    /// <param name="session">The session (limits, diagnostics, the user named in failure logs).</param>
    /// <param name="commandName">The command named when a message cannot be read.</param>
    /// <param name="key">The search keys.</param>
    /// <param name="index">The message's sequence number − 1 in <see cref="ImapSession.Selected"/>.</param>
    public static bool Matches(ImapSession session, string commandName, SearchKey key, int index)
    {
        SelectedMailbox selected = session.Selected!;
        if (key is SearchKey.All)
        {
            return true;
        }

        int lastSequence = selected.Count;
        uint lastUid = lastSequence == 0 ? 0 : selected.Messages[^1].Uid;
        MessageRecord record = selected.Messages[index];
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
            // A message whose content cannot be read matches no content key; the search goes on.
            ImapLog.MessageFailed(session.Context.Diagnostics, ex, session.User!, selected.Folder.Name, record.Uid, commandName);
            return false;
        }
    }
}
