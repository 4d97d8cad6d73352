using Mailroom.Store.Mailboxes;
using MimeKit;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Evaluates a <see cref="SearchKey"/> against one message (RFC 9051 §6.4.4). Strings match as case-insensitive
/// substrings of decoded text: header values with encoded words decoded, body text of the decoded text parts.
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
            SearchKey.Header header => MatchesHeader(message.Parsed.Headers, header.Field, header.Value),
            SearchKey.Body body => MatchesBody(message.Parsed, body.Value),
            SearchKey.Text text => MatchesAnyHeader(message.Parsed.Headers, text.Value) || MatchesBody(message.Parsed, text.Value),
            SearchKey.ModSeq modSeq => record.ModSeq >= modSeq.Value,
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
    private static DateOnly SentDate(ISearchMessage message)
    {
        MimeMessage parsed = message.Parsed;
        DateTimeOffset date = parsed.Headers.Contains(HeaderId.Date) && parsed.Date != DateTimeOffset.MinValue
            ? parsed.Date
            : message.Record.InternalDate;
        return DateOnly.FromDateTime(date.DateTime);
    }

    // RFC 9051 §6.4.4: HEADER with an empty string matches every message having the field.
    private static bool MatchesHeader(HeaderList headers, string field, string value)
    {
        foreach (Header header in headers)
        {
            if (header.Field.Equals(field, StringComparison.OrdinalIgnoreCase)
                && (value.Length == 0 || Contains(header.Value, value)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAnyHeader(HeaderList headers, string value)
    {
        foreach (Header header in headers)
        {
            if (Contains(header.Value, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesBody(MimeMessage message, string value)
    {
        if (value.Length == 0)
        {
            return true;
        }

        foreach (MimeEntity part in message.BodyParts)
        {
            if (part is TextPart text && Contains(text.Text, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(string? haystack, string needle) =>
        haystack is not null && haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);
}
