using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// A parsed SEARCH criterion (RFC 9051 §6.4.4, RFC 3501 §6.4.4, RFC 7162 §3.1.5, RFC 8474 §6, RFC 8514 §4.3). Keys nest: a list is
/// <see cref="And"/>; FROM, TO, CC, BCC and SUBJECT are <see cref="Header"/> keys on that field.
/// </summary>
internal abstract record SearchKey
{
    internal enum DateComparison
    {
        Before,
        On,
        Since,
    }

    internal sealed record All : SearchKey;

    internal sealed record And(IReadOnlyList<SearchKey> Keys) : SearchKey;

    internal sealed record Or(SearchKey Left, SearchKey Right) : SearchKey;

    internal sealed record Not(SearchKey Key) : SearchKey;

    /// <summary>ANSWERED, DELETED, DRAFT, FLAGGED, SEEN (<paramref name="Set"/> true) and their UN- forms.</summary>
    internal sealed record Flag(MessageFlags Value, bool Set) : SearchKey;

    /// <summary>KEYWORD (<paramref name="Set"/> true) and UNKEYWORD.</summary>
    internal sealed record Keyword(string Name, bool Set) : SearchKey;

    /// <summary>RECENT (<paramref name="Set"/> true) and OLD (RFC 3501).</summary>
    internal sealed record Recent(bool Set) : SearchKey;

    /// <summary>A message sequence set given as a key.</summary>
    internal sealed record Sequence(SequenceSet Set) : SearchKey;

    internal sealed record Uid(SequenceSet Set) : SearchKey;

    /// <summary>BEFORE, ON, SINCE: the internal date, disregarding time and timezone.</summary>
    internal sealed record InternalDate(DateComparison Comparison, DateOnly Date) : SearchKey;

    /// <summary>SENTBEFORE, SENTON, SENTSINCE: the Date header, disregarding time and timezone.</summary>
    internal sealed record SentDate(DateComparison Comparison, DateOnly Date) : SearchKey;

    /// <summary>LARGER (<paramref name="Larger"/> true) and SMALLER, on RFC822.SIZE.</summary>
    internal sealed record Size(bool Larger, ulong Value) : SearchKey;

    /// <summary>
    /// HEADER field string (and FROM, TO, CC, BCC, SUBJECT). <paramref name="IsAddressSearch"/> (FROM, TO, CC, BCC)
    /// also matches the field's parsed addresses (<see cref="Mime.MessageText.AddressText"/>).
    /// </summary>
    internal sealed record Header(string Field, string Value, bool IsAddressSearch = false) : SearchKey
    {
        public SubstringMatcher Matcher { get; } = new(Value);
    }

    internal sealed record Body(string Value) : SearchKey
    {
        public SubstringMatcher Matcher { get; } = new(Value);
    }

    internal sealed record Text(string Value) : SearchKey
    {
        public SubstringMatcher Matcher { get; } = new(Value);
    }

    /// <summary>MODSEQ (RFC 7162 §3.1.5); the optional entry name and type are kept but do not narrow the match,
    /// as this server keeps one mod-sequence per message (RFC 7162 §3.1.5 allows that).</summary>
    internal sealed record ModSeq(ulong Value, string? EntryName, string? EntryType) : SearchKey;

    /// <summary>EMAILID (RFC 8474 §6): the message's EMAILID is exactly <paramref name="Value"/>.</summary>
    internal sealed record EmailId(string Value) : SearchKey;

    /// <summary>THREADID (RFC 8474 §6): matches nothing here, where every THREADID is NIL.</summary>
    internal sealed record ThreadId(string Value) : SearchKey;

    /// <summary>SAVEDBEFORE, SAVEDON, SAVEDSINCE (RFC 8514 §4.3): the save date, disregarding time and timezone.</summary>
    internal sealed record SaveDate(DateComparison Comparison, DateOnly Date) : SearchKey;

    /// <summary>SAVEDATESUPPORTED (RFC 8514 §4.3): every message, as every mailbox here keeps save dates.</summary>
    internal sealed record SaveDateSupported : SearchKey;
}
