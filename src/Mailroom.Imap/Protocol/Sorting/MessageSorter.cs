namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// SORT's ordering (RFC 5256 §3, RFC 5957): by each criterion in turn, strings compared with <c>i;ascii-casemap</c>
/// (the keys are stored folded, so ordinally), ties by sequence number. n log n comparisons of cached values.
/// </summary>
internal static class MessageSorter
{
    public static void Sort(SortableMessage[] messages, IReadOnlyList<SortCriterion> criteria, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        SortCriterion[] keys = [.. criteria];
        int compared = 0;
        Array.Sort(messages, (a, b) =>
        {
            // A sort of a very large mailbox stops when its client leaves (checked now and then, not per comparison).
            if ((++compared & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            return Compare(a, b, keys);
        });
    }

    public static int Compare(SortableMessage a, SortableMessage b, SortCriterion[] criteria)
    {
        int order = CompareKeys(a, b, criteria);

        // RFC 5256 §3: messages equal by every criterion keep mailbox order (REVERSE does not apply to it).
        return order != 0 ? order : a.Sequence.CompareTo(b.Sequence);
    }

    /// <summary>The order by the criteria alone, 0 when the messages are equal by every one of them.</summary>
    public static int CompareKeys(SortableMessage a, SortableMessage b, IReadOnlyList<SortCriterion> criteria)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(criteria);
        for (int i = 0; i < criteria.Count; i++)
        {
            // Indexed, not foreach: an interface enumerator would allocate on every comparison.
            SortCriterion criterion = criteria[i];
            int order = criterion.Key switch
            {
                SortKeyKind.Arrival => a.InternalDateUtcTicks.CompareTo(b.InternalDateUtcTicks),
                SortKeyKind.Date => a.SentDate.CompareTo(b.SentDate),
                SortKeyKind.Size => a.Size.CompareTo(b.Size),
                SortKeyKind.Subject => string.CompareOrdinal(a.Keys.Subject, b.Keys.Subject),
                SortKeyKind.From => string.CompareOrdinal(a.Keys.From, b.Keys.From),
                SortKeyKind.To => string.CompareOrdinal(a.Keys.To, b.Keys.To),
                SortKeyKind.Cc => string.CompareOrdinal(a.Keys.Cc, b.Keys.Cc),
                SortKeyKind.DisplayFrom => string.CompareOrdinal(a.Keys.DisplayFrom, b.Keys.DisplayFrom),
                SortKeyKind.DisplayTo => string.CompareOrdinal(a.Keys.DisplayTo, b.Keys.DisplayTo),
                _ => 0,
            };
            if (order != 0)
            {
                return criterion.Reverse ? -order : order;
            }
        }

        return 0;
    }
}
