namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>One sort-criterion: a key, reversed or not (RFC 5256 §3).</summary>
internal readonly record struct SortCriterion(SortKeyKind Key, bool Reverse);
