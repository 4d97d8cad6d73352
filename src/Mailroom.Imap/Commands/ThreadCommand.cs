using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Sorting;
using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// THREAD and UID THREAD (RFC 5256 §3): <c>THREAD algorithm charset search-criteria</c>, answered with
/// <c>* THREAD (..)(..)</c>; the algorithms are ORDEREDSUBJECT and REFERENCES. Keys come from the folder's cache.
/// </summary>
internal sealed class ThreadCommand : IImapCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string algorithm = reader.ReadAtom().ToUpperInvariant();
        if (algorithm is not ("REFERENCES" or "ORDEREDSUBJECT"))
        {
            throw new ImapParseException("Unknown threading algorithm " + algorithm);
        }

        reader.ReadSpace();
        ImapOptions limits = session.Context.Options;
        SearchKey key;
        try
        {
            SearchKeys.CheckCharset(reader.ReadAString());
            reader.ReadSpace();
            key = SearchKeys.ParseToEnd(reader, limits.MaxSearchDepth, limits.MaxSearchKeys);
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

        if (SearchKeys.Any(key, static k => k is SearchKey.ModSeq))
        {
            session.CondStoreEnabled = true;
        }

        SortableMessage[] messages = SortSelection.Matching(session, request, key, cancellationToken, out _, out bool anyGone);
        SortKeyCache cache = SortKeyCache.For(session.Selected!.Folder);
        using ThreadForest threads = algorithm == "REFERENCES"
            ? ReferencesThreader.Thread(messages, cache.ThreadIds, limits.MaxThreadDepth, cancellationToken)
            : OrderedSubjectThreader.Thread(messages, cache.Ranks, cancellationToken);
        if (threads.HasChildren(ThreadForest.Root))
        {
            session.Write("* THREAD "u8);
            ThreadFormatter.Write(session.Writer, threads);
            session.Write("\r\n"u8);
        }
        else
        {
            session.WriteLine("* THREAD");
        }

        // RFC 2180 §4.1.3, as SEARCH and SORT answer: a message whose content was needed but is gone was left out.
        session.Ok(request, anyGone ? MessageMatcher.ExpungeIssued + "Thread completed." : "Thread completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
