namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// Integer sort ranks of one string sort key of a folder (the way Dovecot keeps sort ids): every distinct folded value
/// gets a number, and numbers are ordered as the values are under <c>i;ascii-casemap</c> (RFC 5256 §3; the values are
/// stored folded, so ordinally). A SORT then compares integers rather than strings. Ranks are spread
/// <see cref="Spacing"/> apart, so a new value takes the midpoint between its neighbours (a binary search, no
/// renumbering); only when no gap is left are all values renumbered, which bumps <see cref="Generation"/>. Values are
/// never removed: an expunge leaves the order of the others as it was. Not thread-safe: the owner locks it.
/// </summary>
internal sealed class SortRankTable
{
    /// <summary>The gap left between consecutive ranks when they are numbered afresh: 2^20 values can go in between.</summary>
    public const long Spacing = 1L << 20;

    // Up to this many new values go in one by one (a binary search and a list insertion each); more are merged at once.
    private const int BulkThreshold = 32;

    private readonly List<string> _values = [];
    private readonly List<long> _ranks = [];
    private readonly Dictionary<string, long> _rankOf = new(StringComparer.Ordinal);

    /// <summary>Bumped each time the ranks are renumbered: ranks taken before are no longer comparable with new ones.</summary>
    public int Generation { get; private set; }

    /// <summary>How many distinct values the table holds.</summary>
    public int Count => _values.Count;

    /// <summary>The rank of <paramref name="value"/>, added to the table when it is new.</summary>
    public long RankOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_rankOf.TryGetValue(value, out long known))
        {
            return known;
        }

        int index = ~_values.BinarySearch(value, StringComparer.Ordinal);
        long below = index == 0 ? 0 : _ranks[index - 1];
        long above = index == _ranks.Count ? below + (2 * Spacing) : _ranks[index];
        _values.Insert(index, value);
        if (above - below >= 2)
        {
            long rank = below + ((above - below) / 2);
            _ranks.Insert(index, rank);
            _rankOf[value] = rank;
            return rank;
        }

        // No room left between the neighbours: number every value afresh, evenly spaced.
        _ranks.Insert(index, 0);
        for (int i = 0; i < _values.Count; i++)
        {
            _ranks[i] = (i + 1) * Spacing;
            _rankOf[_values[i]] = _ranks[i];
        }

        Generation++;
        return _ranks[index];
    }

    /// <summary>
    /// Adds the values the table does not hold yet. A few go in one by one; many (the first SORT of a folder) are
    /// merged with the known ones in one sort and every value is numbered afresh, so a bulk load costs O(d log d), not
    /// one insertion into the ordered list per value.
    /// </summary>
    public void AddAll(IReadOnlyCollection<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count <= BulkThreshold)
        {
            foreach (string value in values)
            {
                RankOf(value);
            }

            return;
        }

        var merged = new HashSet<string>(_values, StringComparer.Ordinal);
        merged.UnionWith(values);
        string[] ordered = [.. merged];
        Array.Sort(ordered, StringComparer.Ordinal);
        _values.Clear();
        _values.AddRange(ordered);
        _ranks.Clear();
        _rankOf.Clear();
        for (int i = 0; i < ordered.Length; i++)
        {
            long rank = (i + 1) * Spacing;
            _ranks.Add(rank);
            _rankOf[ordered[i]] = rank;
        }

        Generation++;
    }

    /// <summary>The rank of a value the table holds, or -1.</summary>
    public long Find(string value) => _rankOf.TryGetValue(value, out long rank) ? rank : -1;

    /// <summary>Forgets every value (the folder's cache started again).</summary>
    public void Clear()
    {
        _values.Clear();
        _ranks.Clear();
        _rankOf.Clear();
        Generation++;
    }
}
