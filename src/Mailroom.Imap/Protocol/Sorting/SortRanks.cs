namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// The rank tables of a folder's string sort keys (SUBJECT, FROM, TO, CC, DISPLAYFROM, DISPLAYTO), one
/// <see cref="SortRankTable"/> each, built on the first SORT by that key and extended as new values arrive. Kept with
/// the folder's shared sort-key cache, so every session that has the folder open reuses them; a fresh instance ranks
/// just the messages it is given. Thread-safe: sessions of one user may sort the same folder at once.
/// </summary>
internal sealed class SortRanks
{
    private readonly SortRankTable[] _tables = [new(), new(), new(), new(), new(), new()];
    private readonly Lock _lock = new();

    /// <summary>How many distinct values the tables hold together (each costs a list slot, a rank and a hash entry).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _tables.Sum(static t => t.Count);
            }
        }
    }

    /// <summary>Whether <paramref name="kind"/> is compared as a string, and so by rank.</summary>
    public static bool IsString(SortKeyKind kind) => TableIndex(kind) >= 0;

    /// <summary>The folded string <paramref name="kind"/> sorts <paramref name="keys"/> by.</summary>
    public static string ValueOf(MessageSortKeys keys, SortKeyKind kind)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return kind switch
        {
            SortKeyKind.Subject => keys.Subject,
            SortKeyKind.From => keys.From,
            SortKeyKind.To => keys.To,
            SortKeyKind.Cc => keys.Cc,
            SortKeyKind.DisplayFrom => keys.DisplayFrom,
            SortKeyKind.DisplayTo => keys.DisplayTo,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a string sort key"),
        };
    }

    /// <summary>
    /// The rank of each message's <paramref name="kind"/> value, in the order of <paramref name="messages"/>: ranks
    /// compare as the values do. Values not yet ranked are added first, then all are read in one generation.
    /// </summary>
    public long[] Ranks(SortKeyKind kind, IReadOnlyList<SortableMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        SortRankTable table = _tables[TableIndex(kind)];
        var ranks = new long[messages.Count];
        lock (_lock)
        {
            HashSet<string>? missing = null;
            for (int i = 0; i < ranks.Length; i++)
            {
                string value = ValueOf(messages[i].Keys, kind);
                ranks[i] = table.Find(value);
                if (ranks[i] < 0)
                {
                    (missing ??= new HashSet<string>(StringComparer.Ordinal)).Add(value);
                }
            }

            if (missing is null)
            {
                return ranks;
            }

            // Adding may renumber the table: read every rank again, all from the same numbering.
            table.AddAll(missing);
            for (int i = 0; i < ranks.Length; i++)
            {
                ranks[i] = table.Find(ValueOf(messages[i].Keys, kind));
            }
        }

        return ranks;
    }

    /// <summary>Forgets every value (the folder's cache started again).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (SortRankTable table in _tables)
            {
                table.Clear();
            }
        }
    }

    private static int TableIndex(SortKeyKind kind) => kind switch
    {
        SortKeyKind.Subject => 0,
        SortKeyKind.From => 1,
        SortKeyKind.To => 2,
        SortKeyKind.Cc => 3,
        SortKeyKind.DisplayFrom => 4,
        SortKeyKind.DisplayTo => 5,
        _ => -1,
    };
}
