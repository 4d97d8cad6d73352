using Mailroom.Imap.Protocol.Sorting;

namespace Mailroom.Imap.Protocol.Contexts;

/// <summary>
/// A SEARCH or SORT result kept with RETURN (UPDATE) (RFC 5267 §4.3): the command's tag, its keys, and the matching
/// UIDs (in sort order for SORT). Changes are applied one message at a time, each costing a hash lookup and, for SORT,
/// a binary search: the kept criteria are evaluated against the changed messages only, never the whole mailbox.
/// </summary>
internal sealed class SearchUpdateContext
{
    private readonly Dictionary<uint, SortedEntry?> _members;
    private readonly List<SortedEntry>? _sorted;
    private readonly Comparer<SortedEntry>? _order;

    private SearchUpdateContext(string tag, bool uid, SearchKey key, IReadOnlyList<SortCriterion>? criteria, Dictionary<uint, SortedEntry?> members,
        List<SortedEntry>? sorted)
    {
        Tag = tag;
        Uid = uid;
        Key = key;
        Criteria = criteria;
        _members = members;
        _sorted = sorted;
        if (criteria is not null)
        {
            // The kept order: the criteria, then the UID, which orders messages as their sequence numbers do (RFC 5256 §3).
            _order = Comparer<SortedEntry>.Create((a, b) =>
            {
                int order = MessageSorter.CompareKeys(a.Message, b.Message, criteria);
                return order != 0 ? order : a.Uid.CompareTo(b.Uid);
            });
        }
    }

    /// <summary>The tag of the SEARCH or SORT that made it; its ESEARCH updates carry it.</summary>
    public string Tag { get; }

    /// <summary>Made by UID SEARCH or UID SORT: updates name UIDs rather than sequence numbers.</summary>
    public bool Uid { get; }

    public SearchKey Key { get; }

    /// <summary>The sort criteria of a SORT context; null for SEARCH, whose result is in ascending order.</summary>
    public IReadOnlyList<SortCriterion>? Criteria { get; }

    public bool IsSort => _sorted is not null;

    public int Count => _members.Count;

    public static SearchUpdateContext ForSearch(string tag, bool uid, SearchKey key, IEnumerable<uint> uids)
    {
        ArgumentNullException.ThrowIfNull(uids);
        var members = new Dictionary<uint, SortedEntry?>();
        foreach (uint value in uids)
        {
            members[value] = null;
        }

        return new SearchUpdateContext(tag, uid, key, null, members, null);
    }

    /// <param name="sorted">The result in sort order.</param>
    public static SearchUpdateContext ForSort(string tag, bool uid, SearchKey key, IReadOnlyList<SortCriterion> criteria, List<SortedEntry> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var members = new Dictionary<uint, SortedEntry?>(sorted.Count);
        foreach (SortedEntry entry in sorted)
        {
            members[entry.Uid] = entry;
        }

        return new SearchUpdateContext(tag, uid, key, criteria, members, sorted);
    }

    public bool Contains(uint uid) => _members.ContainsKey(uid);

    /// <summary>
    /// Takes a message out of the result. Returns its 1-based position there before removal (RFC 5267 §4.4.2), or 0
    /// for a SEARCH context, whose positions the client derives from the ascending numbers; -1 when it was not in it.
    /// </summary>
    public int Remove(uint uid)
    {
        if (!_members.Remove(uid, out SortedEntry? entry))
        {
            return -1;
        }

        if (_sorted is null || entry is null)
        {
            return 0;
        }

        int index = _sorted.BinarySearch(entry, _order);
        _sorted.RemoveAt(index);
        return index + 1;
    }

    /// <summary>Adds a message of a SEARCH context (position 0: anywhere, RFC 5267 §4.4.1).</summary>
    public void Add(uint uid) => _members[uid] = null;

    /// <summary>Adds a message to a SORT context; returns its 1-based position once inserted (RFC 5267 §4.4.1).</summary>
    public int Insert(SortedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        int index = _sorted!.BinarySearch(entry, _order);
        if (index < 0)
        {
            index = ~index;
        }

        _sorted.Insert(index, entry);
        _members[entry.Uid] = entry;
        return index + 1;
    }
}
