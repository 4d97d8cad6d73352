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
    /// <summary>
    /// RFC 5530 §3: the response code that ends a SEARCH or SORT that left out a message it could not read because
    /// another agent removed it (RFC 2180 §4.1.3); the client may send NOOP to learn of the expunge.
    /// </summary>
    public const string ExpungeIssued = "[EXPUNGEISSUED] ";

    /// <param name="session">The session (limits, diagnostics, the user named in failure logs).</param>
    /// <param name="commandName">The command named when a message cannot be read.</param>
    /// <param name="key">The search keys.</param>
    /// <param name="index">The message's sequence number − 1 in <see cref="ImapSession.Selected"/>.</param>
    public static bool Matches(ImapSession session, string commandName, SearchKey key, int index) =>
        Matches(session, commandName, key, index, out _);

    /// <param name="session">The session (limits, diagnostics, the user named in failure logs).</param>
    /// <param name="commandName">The command named when a message cannot be read.</param>
    /// <param name="key">The search keys.</param>
    /// <param name="index">The message's sequence number − 1 in <see cref="ImapSession.Selected"/>.</param>
    /// <param name="gone">
    /// Set when a key needed the content of a message that another agent removed and the store could not keep readable
    /// (RFC 2180 §4.1.3): the message is left out, and the command ends <c>OK [EXPUNGEISSUED]</c>.
    /// </param>
    public static bool Matches(ImapSession session, string commandName, SearchKey key, int index, out bool gone)
    {
        gone = false;
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
            // RFC 2180 §4.1.3: removed by another program (or past the store's bound on held messages), so its content
            // cannot be read; it matches nothing, every time, and the command says so with [EXPUNGEISSUED]. Messages
            // another session expunged stay readable while this session shows them (RFC 2180 §4.1.1, the store's hold).
            gone = true;
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
