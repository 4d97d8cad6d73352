using System.Globalization;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Contexts;
using Mailroom.Imap.Protocol.Sorting;
using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// SORT and UID SORT (RFC 5256 §3, DISPLAYFROM/DISPLAYTO of RFC 5957): the matching messages in the order of the
/// criteria, as <c>* SORT n...</c>; with RETURN options as <c>* ESEARCH</c> in sort order (ESORT, RFC 5267 §3), SAVE
/// keeping the result for "$" (RFC 5182 §2.4), PARTIAL returning some positions of it and UPDATE keeping it as a context
/// whose changes are reported (CONTEXT=SORT, RFC 5267 §4). Keys come from the folder's cache: no message is re-read per command.
/// </summary>
internal sealed class SortCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        ImapOptions limits = session.Context.Options;
        SortRequest sort;
        try
        {
            sort = SortRequest.Parse(reader, limits.MaxSearchDepth, limits.MaxSearchKeys);
        }
        catch (ImapLimitException ex)
        {
            session.No(request, "[LIMIT] " + ex.Message);
            return ValueTask.FromResult(SessionAction.Continue);
        }
        catch (UnsupportedCharsetException)
        {
            session.No(request, "[" + SearchRequest.BadCharsetCode + "] Unsupported charset.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (sort.UsesModSeq)
        {
            session.CondStoreEnabled = true;
        }

        SortableMessage[] messages = SortSelection.Matching(session, request, sort.Key, cancellationToken, out ulong highestModSeq, out bool anyGone);
        MessageSorter.Sort(messages, sort.Criteria, SortKeyCache.For(session.Selected!.Folder).Ranks, cancellationToken);
        if (sort.Update)
        {
            // RFC 5267 §4.3 (CONTEXT=SORT): the sorted result is kept and its changes reported with their positions.
            session.Selected!.SearchContexts.Keep(session, SearchUpdateContext.ForSort(request.Tag, request.Uid, sort.Key, sort.Criteria,
                [.. messages.Select(m => new SortedEntry(session.Selected!.Messages[m.Sequence - 1].Uid, m))]));
        }

        IReadOnlyList<string> options = sort.ReturnOptions;
        if (options.Contains("SAVE"))
        {
            session.Selected!.SavedResult = Saved(options, messages, session.Selected);
            options = [.. options.Where(static o => o != "SAVE")];
            if (options.Count == 0 && sort.Partial is null && !sort.Update)
            {
                // RFC 5182 §2.1: SAVE alone produces no ESEARCH response.
                session.Ok(request, anyGone ? MessageMatcher.ExpungeIssued + "Sort completed." : "Sort completed.");
                return ValueTask.FromResult(SessionAction.Continue);
            }
        }

        if (sort.ReturnSpecified)
        {
            session.WriteLine(FormatEsearch(request, options, sort.Partial, sort.UsesModSeq, messages, highestModSeq));
        }
        else
        {
            WriteSort(session, sort.UsesModSeq, messages, highestModSeq);
        }

        session.Ok(request, anyGone ? MessageMatcher.ExpungeIssued + "Sort completed." : "Sort completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }

    // Straight into the response buffer: the line of a large folder would otherwise be built as a string first.
    private static void WriteSort(ImapSession session, bool modSeq, SortableMessage[] messages, ulong highestModSeq)
    {
        session.Write("* SORT"u8);
        var text = new ResponseChunkWriter(session.Writer);
        foreach (SortableMessage message in messages)
        {
            text.Write((byte)' ');
            text.Write(message.Number);
        }

        text.Flush();
        if (modSeq && messages.Length > 0)
        {
            // RFC 7162 §3.1.5: a SORT with a MODSEQ key reports the highest mod-sequence of the messages returned.
            session.Write(string.Create(CultureInfo.InvariantCulture, $" (MODSEQ {highestModSeq})"));
        }

        session.Write("\r\n"u8);
    }

    /// <summary>
    /// RFC 5267 §3.2: MIN and MAX are the first and last messages in sort order, ALL lists them all in sort order
    /// (runs of consecutive ascending numbers as ranges), COUNT counts them.
    /// </summary>
    private static string FormatEsearch(ImapRequest request, IReadOnlyList<string> options, PartialRange? partial, bool modSeq,
        SortableMessage[] messages, ulong highestModSeq)
    {
        var text = new StringBuilder("* ESEARCH (TAG \"").Append(request.Tag).Append("\")");
        if (request.Uid)
        {
            text.Append(" UID");
        }

        foreach (string option in options)
        {
            switch (option)
            {
                case "MIN" when messages.Length > 0:
                    text.Append(CultureInfo.InvariantCulture, $" MIN {messages[0].Number}");
                    break;
                case "MAX" when messages.Length > 0:
                    text.Append(CultureInfo.InvariantCulture, $" MAX {messages[^1].Number}");
                    break;
                case "COUNT":
                    text.Append(CultureInfo.InvariantCulture, $" COUNT {messages.Length}");
                    break;
                case "ALL" when messages.Length > 0:
                    text.Append(" ALL ").Append(SequenceSet.Format(messages.Select(static m => m.Number)));
                    break;
            }
        }

        if (partial is { } range)
        {
            // RFC 5267 §4.4: the positions asked for, in sort order; NIL when the result has none of them.
            (int start, int length) = range.Within(messages.Length);
            text.Append(" PARTIAL (").Append(range.ToString()).Append(' ')
                .Append(length == 0 ? "NIL" : SequenceSet.Format(messages.Skip(start).Take(length).Select(static m => m.Number))).Append(')');
        }

        if (modSeq && messages.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" MODSEQ {highestModSeq}");
        }

        return text.ToString();
    }

    /// <summary>RFC 5182 §2.4: with MIN and/or MAX (and no ALL or COUNT) only those are saved; UIDs either way.</summary>
    private static HashSet<uint> Saved(IReadOnlyList<string> options, SortableMessage[] messages, SelectedMailbox selected)
    {
        IEnumerable<SortableMessage> kept = messages;
        if (messages.Length > 0 && !options.Contains("ALL") && !options.Contains("COUNT") && (options.Contains("MIN") || options.Contains("MAX")))
        {
            List<SortableMessage> ends = [];
            if (options.Contains("MIN"))
            {
                ends.Add(messages[0]);
            }

            if (options.Contains("MAX"))
            {
                ends.Add(messages[^1]);
            }

            kept = ends;
        }

        return [.. kept.Select(m => selected.Messages[m.Sequence - 1].Uid)];
    }
}
