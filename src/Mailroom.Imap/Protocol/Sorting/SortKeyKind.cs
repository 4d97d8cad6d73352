namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>The sort keys of RFC 5256 §3 and RFC 5957 (DISPLAYFROM, DISPLAYTO).</summary>
internal enum SortKeyKind
{
    Arrival,
    Cc,
    Date,
    From,
    Size,
    Subject,
    To,
    DisplayFrom,
    DisplayTo,
}
