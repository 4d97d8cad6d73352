using System.Globalization;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Contexts;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// SEARCH and UID SEARCH (RFC 9051 §6.4.4), answered with <c>* SEARCH</c> (IMAP4rev1) or, when RETURN options are
/// given or IMAP4rev2 is enabled, <c>* ESEARCH</c> (RFC 4731); <c>(MODSEQ n)</c> with a MODSEQ key (RFC 7162 §3.1.5).
/// RETURN (SAVE) keeps the result for "$" (SEARCHRES, RFC 5182, part of IMAP4rev2); RETURN (PARTIAL low:high) returns
/// part of it and RETURN (UPDATE) keeps it as a context whose changes are reported (CONTEXT=SEARCH, RFC 5267 §4).
/// </summary>
internal sealed class SearchCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        ImapOptions limits = session.Context.Options;
        SearchRequest search;
        try
        {
            search = SearchRequest.Parse(ref reader, allowReturnOptions: true, limits.MaxSearchDepth, limits.MaxSearchKeys);
        }
        catch (ImapLimitException ex)
        {
            session.No(request, "[LIMIT] " + ex.Message);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (search.Charset is not null && session.Utf8Accepted)
        {
            // RFC 6855 §3: after ENABLE UTF8=ACCEPT a CHARSET conflicts with the strings' own UTF-8.
            session.Bad(request.Tag, "SEARCH CHARSET is not allowed after ENABLE UTF8=ACCEPT.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (search.UsesModSeq)
        {
            session.EnableCondStore();
        }

        SelectedMailbox selected = session.Selected!;
        var matches = new List<uint>();
        var matchedUids = new List<uint>();
        var matchedModSeqs = new List<ulong>();
        ulong highestModSeq = 0;
        bool anyGone = false;
        for (int i = 0; i < selected.Count; i++)
        {
            // A search of a large mailbox may take long: it stops when the client leaves.
            cancellationToken.ThrowIfCancellationRequested();
            bool matched = MessageMatcher.Matches(session, request.Name, search.Key, i, out bool gone);
            anyGone |= gone;
            if (matched)
            {
                MessageRecord record = selected.Messages[i];
                matches.Add(request.Uid ? record.Uid : (uint)(i + 1));
                matchedUids.Add(record.Uid);
                matchedModSeqs.Add(record.ModSeq);
                highestModSeq = Math.Max(highestModSeq, record.ModSeq);
            }
        }

        if (search.Update)
        {
            // RFC 5267 §4.3: the result is kept and its changes reported until CANCELUPDATE or another mailbox.
            session.Selected!.SearchContexts.Keep(session, SearchUpdateContext.ForSearch(request.Tag, request.Uid, search.Key, matchedUids));
        }

        IReadOnlyList<string> options = search.ReturnOptions;
        if (options.Contains("SAVE"))
        {
            selected.SavedResult = Saved(options, matchedUids);
            options = [.. options.Where(static o => o != "SAVE")];
            if (options.Count == 0 && search.Partial is null && !search.Update)
            {
                // RFC 5182 §2.1: SAVE alone produces no ESEARCH response.
                session.Ok(request, anyGone ? MessageMatcher.ExpungeIssued + "Search completed." : "Search completed.");
                return ValueTask.FromResult(SessionAction.Continue);
            }
        }

        if (search.ReturnSpecified || session.Rev2Enabled)
        {
            session.WriteLine(FormatEsearch(request, search.ReturnSpecified ? options : ["ALL"], search.Partial, search.UsesModSeq, matches, matchedModSeqs));
        }
        else
        {
            var text = new StringBuilder("* SEARCH");
            foreach (uint value in matches)
            {
                text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture));
            }

            if (search.UsesModSeq && matches.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $" (MODSEQ {highestModSeq})");
            }

            session.WriteLine(text.ToString());
        }

        session.Ok(request, anyGone ? MessageMatcher.ExpungeIssued + "Search completed." : "Search completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }

    /// <summary>RFC 5182 §2.4: with MIN and/or MAX (and no ALL or COUNT) only those are saved.</summary>
    private static HashSet<uint> Saved(IReadOnlyList<string> options, List<uint> uids)
    {
        if (uids.Count == 0 || options.Contains("ALL") || options.Contains("COUNT") || !(options.Contains("MIN") || options.Contains("MAX")))
        {
            return [.. uids];
        }

        var saved = new HashSet<uint>();
        if (options.Contains("MIN"))
        {
            saved.Add(uids[0]);
        }

        if (options.Contains("MAX"))
        {
            saved.Add(uids[^1]);
        }

        return saved;
    }

    /// <summary>RFC 4731 §3.1: <c>* ESEARCH (TAG "t") [UID] MIN n MAX n COUNT n ALL set</c>; empty results leave out MIN, MAX and ALL.</summary>
    private static string FormatEsearch(ImapRequest request, IReadOnlyList<string> options, PartialRange? partial, bool modSeq, List<uint> matches,
        List<ulong> modSeqs)
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
                case "MIN" when matches.Count > 0:
                    text.Append(CultureInfo.InvariantCulture, $" MIN {matches[0]}");
                    break;
                case "MAX" when matches.Count > 0:
                    text.Append(CultureInfo.InvariantCulture, $" MAX {matches[^1]}");
                    break;
                case "COUNT":
                    text.Append(CultureInfo.InvariantCulture, $" COUNT {matches.Count}");
                    break;
                case "ALL" when matches.Count > 0:
                    text.Append(" ALL ").Append(SequenceSet.Format(matches));
                    break;
            }
        }

        if (partial is { } range)
        {
            // RFC 5267 §4.4: the positions asked for, in result order (ascending for SEARCH); NIL when none exist.
            (int start, int length) = range.Within(matches.Count);
            text.Append(" PARTIAL (").Append(range.ToString()).Append(' ')
                .Append(length == 0 ? "NIL" : SequenceSet.Format(matches.Skip(start).Take(length))).Append(')');
        }

        if (modSeq && matches.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" MODSEQ {ReturnedModSeq(options, modSeqs)}");
        }

        return text.ToString();
    }

    /// <summary>
    /// RFC 7162 §3.1.10: with only MIN and/or MAX returned, the MODSEQ is the highest of the messages returned;
    /// otherwise the highest of all the matches.
    /// </summary>
    private static ulong ReturnedModSeq(IReadOnlyList<string> options, List<ulong> modSeqs)
    {
        bool min = options.Contains("MIN");
        bool max = options.Contains("MAX");
        if ((min || max) && !options.Contains("ALL") && !options.Contains("COUNT"))
        {
            return Math.Max(min ? modSeqs[0] : 0, max ? modSeqs[^1] : 0);
        }

        return modSeqs.Max();
    }
}
