namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// SORT's ordering (RFC 5256 §3, RFC 5957): by each criterion in turn, strings compared with <c>i;ascii-casemap</c>
/// (the keys are stored folded, so ordinally), ties by sequence number. A sort compares integers only: each criterion
/// becomes one column of longs (dates, sizes, or the folder's ranks of the string values, see <see cref="SortRanks"/>),
/// complemented when REVERSE; the first column is sorted as primitives and only runs equal in it are ordered by the
/// further columns and the sequence number.
/// </summary>
internal static class MessageSorter
{
    /// <summary>Sorts with ranks of these messages alone (computed for this call).</summary>
    public static void Sort(SortableMessage[] messages, IReadOnlyList<SortCriterion> criteria, CancellationToken cancellationToken) =>
        Sort(messages, criteria, new SortRanks(), cancellationToken);

    /// <summary>Sorts with the ranks kept in <paramref name="ranks"/> (the folder's, extended with any value new to them).</summary>
    public static void Sort(SortableMessage[] messages, IReadOnlyList<SortCriterion> criteria, SortRanks ranks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(ranks);
        var columns = new long[criteria.Count][];
        for (int c = 0; c < columns.Length; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            columns[c] = Column(messages, criteria[c], ranks);
        }

        int[] order = new int[messages.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // The first column sorted as keys with the positions as items: no delegate call per comparison.
        long[] primary = (long[])columns[0].Clone();
        Array.Sort(primary, order);
        cancellationToken.ThrowIfCancellationRequested();
        var ties = Comparer<int>.Create((a, b) =>
        {
            for (int c = 1; c < columns.Length; c++)
            {
                int byColumn = columns[c][a].CompareTo(columns[c][b]);
                if (byColumn != 0)
                {
                    return byColumn;
                }
            }

            // RFC 5256 §3: messages equal by every criterion keep mailbox order (REVERSE does not apply to it).
            return messages[a].Sequence.CompareTo(messages[b].Sequence);
        });
        for (int start = 0, end; start < primary.Length; start = end)
        {
            for (end = start + 1; end < primary.Length && primary[end] == primary[start]; end++)
            {
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start, ties);
            }
        }

        SortableMessage[] sorted = new SortableMessage[messages.Length];
        for (int i = 0; i < order.Length; i++)
        {
            sorted[i] = messages[order[i]];
        }

        sorted.CopyTo(messages, 0);
    }

    /// <summary>One criterion's value of every message as a long; REVERSE complements it (~x reverses the order, never overflows).</summary>
    private static long[] Column(SortableMessage[] messages, SortCriterion criterion, SortRanks ranks)
    {
        long[] column;
        if (SortRanks.IsString(criterion.Key))
        {
            column = ranks.Ranks(criterion.Key, messages);
        }
        else
        {
            column = new long[messages.Length];
            for (int i = 0; i < column.Length; i++)
            {
                SortableMessage message = messages[i];
                column[i] = criterion.Key switch
                {
                    SortKeyKind.Arrival => message.InternalDateUtcTicks,
                    SortKeyKind.Date => message.SentDate,
                    SortKeyKind.Size => message.Size,
                    _ => 0,
                };
            }
        }

        if (criterion.Reverse)
        {
            for (int i = 0; i < column.Length; i++)
            {
                column[i] = ~column[i];
            }
        }

        return column;
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
