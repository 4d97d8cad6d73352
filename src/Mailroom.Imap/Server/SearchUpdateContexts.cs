using System.Globalization;
using System.Text;
using Mailroom.Imap.Commands;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Contexts;

namespace Mailroom.Imap.Server;

/// <summary>
/// The search and sort contexts kept with RETURN (UPDATE) in the selected mailbox (RFC 5267 §4.3), at most
/// <see cref="ImapOptions.MaxSearchUpdateContexts"/> of them. They belong to the selection: SELECT, EXAMINE, CLOSE and
/// UNSELECT end them with it. The messages that changed since the last report (arrived, flags changed by anyone) are
/// collected, and only they are evaluated against each context's keys when the updates are sent.
/// </summary>
internal sealed class SearchUpdateContexts
{
    private readonly List<SearchUpdateContext> _contexts = [];
    private readonly SortedSet<uint> _changed = [];

    public int Count => _contexts.Count;

    /// <summary>
    /// Keeps <paramref name="context"/>, or refuses with <c>* NO [NOUPDATE "tag"]</c> (RFC 5267 §4.3.1) when the session
    /// keeps its maximum already or a context has that tag; the command's own result is returned either way.
    /// </summary>
    public void Keep(ImapSession session, SearchUpdateContext context)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(context);
        int max = session.Context.Options.MaxSearchUpdateContexts;
        if (_contexts.Count >= max)
        {
            session.WriteLine(string.Create(CultureInfo.InvariantCulture, $"* NO [NOUPDATE \"{context.Tag}\"] At most {max} search contexts are updated."));
            return;
        }

        if (_contexts.Exists(c => c.Tag == context.Tag))
        {
            session.WriteLine("* NO [NOUPDATE \"" + context.Tag + "\"] A search context with this tag is updated already.");
            return;
        }

        _contexts.Add(context);
    }

    /// <summary>CANCELUPDATE (RFC 5267 §4.3): stops updating the context of <paramref name="tag"/>; false when none has it.</summary>
    public bool Cancel(string tag)
    {
        int index = _contexts.FindIndex(c => c.Tag == tag);
        if (index < 0)
        {
            return false;
        }

        _contexts.RemoveAt(index);
        if (_contexts.Count == 0)
        {
            _changed.Clear();
        }

        return true;
    }

    /// <summary>Notes a message that arrived or whose flags changed, to be evaluated at the next report.</summary>
    public void NoteChanged(uint uid)
    {
        if (_contexts.Count > 0)
        {
            _changed.Add(uid);
        }
    }

    /// <summary>
    /// RFC 5267 §4.4.2: expunged messages leave every context in a <c>REMOVEFROM</c> sent before the EXPUNGE responses,
    /// while the sequence numbers it names are still valid. <paramref name="expunged"/> is as reported (each number after
    /// the earlier removals), so the k-th one had number SequenceNumber + k before any of them went.
    /// </summary>
    public void WriteRemovalsBeforeExpunge(ImapSession session, IReadOnlyList<(int SequenceNumber, uint Uid)> expunged)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(expunged);
        foreach ((_, uint uid) in expunged)
        {
            _changed.Remove(uid);
        }

        foreach (SearchUpdateContext context in _contexts)
        {
            var removed = new List<(int Position, uint Number)>();
            for (int k = 0; k < expunged.Count; k++)
            {
                (int sequenceNumber, uint uid) = expunged[k];
                int position = context.Remove(uid);
                if (position >= 0)
                {
                    removed.Add((position, context.Uid ? uid : (uint)(sequenceNumber + k)));
                }
            }

            WriteUpdate(session, context, removed, []);
        }
    }

    /// <summary>
    /// Evaluates the messages changed since the last report against each context and sends <c>REMOVEFROM</c> for those
    /// that stopped matching and <c>ADDTO</c> for those that started (RFC 5267 §4.4.1-2), after the mailbox's own updates
    /// so the numbers are the client's current ones.
    /// </summary>
    public void Report(ImapSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_changed.Count == 0)
        {
            return;
        }

        SelectedMailbox selected = session.Selected!;
        SortKeyCache? cache = null;
        foreach (SearchUpdateContext context in _contexts)
        {
            var removed = new List<(int Position, uint Number)>();
            var added = new List<(int Position, uint Number)>();
            var arrivals = new List<SortedEntry>();
            foreach (uint uid in _changed)
            {
                int index = selected.IndexOfUid(uid);
                if (index < 0)
                {
                    continue;
                }

                bool matches = MessageMatcher.Matches(session, "SEARCH", context.Key, index);
                uint number = context.Uid ? uid : (uint)(index + 1);
                if (!matches && context.Contains(uid))
                {
                    removed.Add((context.Remove(uid), number));
                }
                else if (matches && !context.Contains(uid))
                {
                    if (context.IsSort)
                    {
                        cache ??= SortKeyCache.For(selected.Folder);
                        arrivals.Add(new SortedEntry(uid, SortSelection.Sortable(session, "SORT", cache, index, context.Uid)));
                    }
                    else
                    {
                        context.Add(uid);
                        added.Add((0, number));
                    }
                }
            }

            // Removals first: each insertion's position then counts from the result the client holds after them.
            foreach (SortedEntry entry in arrivals)
            {
                added.Add((context.Insert(entry), entry.Message.Number));
            }

            WriteUpdate(session, context, removed, added);
        }

        _changed.Clear();
    }

    /// <summary>
    /// <c>* ESEARCH (TAG "t") [UID] [REMOVEFROM (...)] [ADDTO (...)]</c>: for SEARCH one position 0 and the ascending
    /// set (RFC 5267 §4.4.1 allows 0 for SEARCH); for SORT one position and number per message, in the order applied.
    /// </summary>
    private static void WriteUpdate(ImapSession session, SearchUpdateContext context, List<(int Position, uint Number)> removed,
        List<(int Position, uint Number)> added)
    {
        if (removed.Count == 0 && added.Count == 0)
        {
            return;
        }

        var text = new StringBuilder("* ESEARCH (TAG \"").Append(context.Tag).Append("\")");
        if (context.Uid)
        {
            text.Append(" UID");
        }

        Append(text, " REMOVEFROM (", context, removed);
        Append(text, " ADDTO (", context, added);
        session.WriteLine(text.ToString());
    }

    private static void Append(StringBuilder text, string name, SearchUpdateContext context, List<(int Position, uint Number)> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        text.Append(name);
        if (context.IsSort)
        {
            for (int i = 0; i < changes.Count; i++)
            {
                text.Append(i == 0 ? string.Empty : " ").Append(CultureInfo.InvariantCulture, $"{changes[i].Position} {changes[i].Number}");
            }
        }
        else
        {
            text.Append("0 ").Append(SequenceSet.Format(changes.Select(static c => c.Number).Order()));
        }

        text.Append(')');
    }
}
