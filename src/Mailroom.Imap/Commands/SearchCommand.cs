using System.Globalization;
using System.Text;
using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;
using Mailroom.Net;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// SEARCH and UID SEARCH (RFC 9051 §6.4.4), answered with <c>* SEARCH</c> (IMAP4rev1) or, when RETURN options are
/// given or IMAP4rev2 is enabled, <c>* ESEARCH</c> (RFC 4731); <c>(MODSEQ n)</c> with a MODSEQ key (RFC 7162 §3.1.5).
/// RETURN (SAVE) keeps the result for "$" (SEARCHRES, RFC 5182, part of IMAP4rev2).
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
        int lastSequence = selected.Count;
        uint lastUid = lastSequence == 0 ? 0 : selected.Messages[^1].Uid;
        var matches = new List<uint>();
        var matchedUids = new List<uint>();
        var matchedModSeqs = new List<ulong>();
        ulong highestModSeq = 0;
        for (int i = 0; i < selected.Count; i++)
        {
            // A search of a large mailbox may take long: it stops when the client leaves.
            cancellationToken.ThrowIfCancellationRequested();
            MessageRecord record = selected.Messages[i];
            using var message = new SearchMessage(selected.Folder, i + 1, record, selected.IsRecent(record.Uid), session.Context.Limits);
            bool match;
            try
            {
                match = SearchEvaluator.Matches(search.Key, message, lastSequence, lastUid, selected.SavedResult);
            }
            catch (MessageGoneException)
            {
                // Expunged by another session meanwhile: its content cannot match anything.
                match = false;
            }
            catch (Exception ex) when (MessageUnreadableException.IsContentFailure(ex))
            {
                // A message whose content cannot be read matches no content key; the search goes on.
                ImapLog.MessageFailed(session.Context.Diagnostics, ex, session.User!, selected.Folder.Name, record.Uid, request.Name);
                match = false;
            }

            if (match)
            {
                matches.Add(request.Uid ? record.Uid : (uint)(i + 1));
                matchedUids.Add(record.Uid);
                matchedModSeqs.Add(record.ModSeq);
                highestModSeq = Math.Max(highestModSeq, record.ModSeq);
            }
        }

        IReadOnlyList<string> options = search.ReturnOptions;
        if (options.Contains("SAVE"))
        {
            selected.SavedResult = Saved(options, matchedUids);
            options = [.. options.Where(static o => o != "SAVE")];
            if (options.Count == 0)
            {
                // RFC 5182 §2.1: SAVE alone produces no ESEARCH response.
                session.Ok(request, "Search completed.");
                return ValueTask.FromResult(SessionAction.Continue);
            }
        }

        if (search.ReturnSpecified || session.Rev2Enabled)
        {
            session.WriteLine(FormatEsearch(request, options.Count > 0 ? options : ["ALL"], search.UsesModSeq, matches, matchedModSeqs));
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

        session.Ok(request, "Search completed.");
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
    private static string FormatEsearch(ImapRequest request, IReadOnlyList<string> options, bool modSeq, List<uint> matches, List<ulong> modSeqs)
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
