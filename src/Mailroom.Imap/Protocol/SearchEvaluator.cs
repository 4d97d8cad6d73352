using Mailroom.Imap.Protocol.Mime;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Evaluates a <see cref="SearchKey"/> against one message (RFC 9051 §6.4.4). Strings match as case-insensitive
/// substrings of decoded text: header values with encoded words decoded, body text of the decoded text parts; each
/// match is linear in the text (<see cref="SubstringMatcher"/>), and the text is decoded once per message
/// (<see cref="MessageText"/>). Recursion follows the key, whose depth the parser bounds.
/// </summary>
internal static class SearchEvaluator
{
    /// <param name="key">The criteria.</param>
    /// <param name="message">The message.</param>
    /// <param name="lastSequence">What "*" means in a sequence-set key (the message count).</param>
    /// <param name="lastUid">What "*" means in a UID key (the highest UID in the mailbox).</param>
    public static bool Matches(SearchKey key, ISearchMessage message, int lastSequence, uint lastUid) =>
        Matches(key, message, lastSequence, lastUid, savedUids: null);

    /// <param name="key">The criteria.</param>
    /// <param name="message">The message.</param>
    /// <param name="lastSequence">What "*" means in a sequence-set key (the message count).</param>
    /// <param name="lastUid">What "*" means in a UID key (the highest UID in the mailbox).</param>
    /// <param name="savedUids">The saved result "$" stands for (RFC 5182 §2.1; null or empty: matches nothing).</param>
    public static bool Matches(SearchKey key, ISearchMessage message, int lastSequence, uint lastUid, IReadOnlySet<uint>? savedUids)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        MessageRecord record = message.Record;
        return key switch
        {
            SearchKey.All => true,
            SearchKey.And and => and.Keys.All(k => Matches(k, message, lastSequence, lastUid, savedUids)),
            SearchKey.Or or => Matches(or.Left, message, lastSequence, lastUid, savedUids)
                || Matches(or.Right, message, lastSequence, lastUid, savedUids),
            SearchKey.Not not => !Matches(not.Key, message, lastSequence, lastUid, savedUids),
            SearchKey.Flag flag => ((record.Flags & flag.Value) != 0) == flag.Set,
            SearchKey.Keyword keyword => record.Keywords.Contains(keyword.Name, StringComparer.OrdinalIgnoreCase) == keyword.Set,
            SearchKey.Recent recent => message.IsRecent == recent.Set,
            SearchKey.Sequence sequence => sequence.Set.IsSavedResult
                ? savedUids?.Contains(record.Uid) == true
                : sequence.Set.Contains((uint)message.SequenceNumber, (uint)Math.Max(lastSequence, 0)),
            SearchKey.Uid uid => uid.Set.IsSavedResult
                ? savedUids?.Contains(record.Uid) == true
                : uid.Set.Contains(record.Uid, lastUid),
            SearchKey.InternalDate date => Compare(DateOnly.FromDateTime(record.InternalDate.DateTime), date.Comparison, date.Date),
            SearchKey.SentDate date => Compare(SentDate(message), date.Comparison, date.Date),
            SearchKey.Size size => size.Larger ? (ulong)record.Size > size.Value : (ulong)record.Size < size.Value,
            SearchKey.Header header => MatchesHeader(message.Text, header),
            SearchKey.Body body => MatchesBody(message.Text, body.Matcher),
            SearchKey.Text text => MatchesAnyHeader(message.Text, text.Matcher) || MatchesBody(message.Text, text.Matcher),
            SearchKey.ModSeq modSeq => record.ModSeq >= modSeq.Value,
            SearchKey.EmailId emailId => string.Equals(message.EmailId, emailId.Value, StringComparison.Ordinal),
            SearchKey.ThreadId => false,
            SearchKey.SaveDate date => Compare(DateOnly.FromDateTime(message.SaveDate.DateTime), date.Comparison, date.Date),
            SearchKey.SaveDateSupported => true,
            _ => throw new InvalidOperationException("Unknown search key " + key.GetType().Name),
        };
    }

    private static bool Compare(DateOnly value, SearchKey.DateComparison comparison, DateOnly date) => comparison switch
    {
        SearchKey.DateComparison.Before => value < date,
        SearchKey.DateComparison.On => value == date,
        _ => value >= date,
    };

    // The Date header's own calendar day; a message without a usable Date falls back to its internal date.
    private static DateOnly SentDate(ISearchMessage message) =>
        DateOnly.FromDateTime((message.Text.SentDate ?? message.Record.InternalDate).DateTime);

    // RFC 9051 §6.4.4: HEADER with an empty string matches every message having the field.
    private static bool MatchesHeader(MessageText text, SearchKey.Header key)
    {
        for (int i = 0; i < text.Fields.Count; i++)
        {
            if (text.Fields[i].Name.Equals(key.Field, StringComparison.OrdinalIgnoreCase)
                && (key.Value.Length == 0 || key.Matcher.IsFoundIn(text.Value(i))
                    || (key.IsAddressSearch && key.Matcher.IsFoundIn(text.AddressText(i)))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAnyHeader(MessageText text, SubstringMatcher matcher)
    {
        for (int i = 0; i < text.Fields.Count; i++)
        {
            if (matcher.IsFoundIn(text.Value(i)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesBody(MessageText text, SubstringMatcher matcher)
    {
        if (matcher.Needle.Length == 0)
        {
            return true;
        }

        foreach (string body in text.Bodies)
        {
            if (matcher.IsFoundIn(body))
            {
                return true;
            }
        }

        return false;
    }
}
