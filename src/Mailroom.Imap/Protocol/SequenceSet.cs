using System.Globalization;
using System.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// sequence-set (RFC 9051 §9): comma-separated numbers and ranges, "*" for the largest value, and "$" for the saved
/// search result (RFC 5182 SEARCHRES). Ranges are order-insensitive (RFC 9051 §9: "4:2" is "2:4"). No operation costs
/// in proportion to the numbers themselves: ranges are sorted and merged once, then looked up by binary search, and
/// expanding a set yields only the messages that exist.
/// </summary>
public sealed class SequenceSet
{
    // 0 stands for "*": nz-number excludes it.
    private const uint Star = 0;

    private readonly (uint First, uint Last)[] _ranges;

    // The merged ranges for the last value "*" stood for (SEARCH asks the same for every message).
    private (uint Star, (uint First, uint Last)[] Ranges)? _merged;

    private SequenceSet((uint First, uint Last)[] ranges, bool isSavedResult)
    {
        _ranges = ranges;
        IsSavedResult = isSavedResult;
    }

    /// <summary>"$": the caller substitutes its saved search result (RFC 5182 §2.1).</summary>
    public bool IsSavedResult { get; }

    public static bool TryParse(ReadOnlySpan<char> text, out SequenceSet set)
    {
        set = null!;
        if (text.SequenceEqual("$"))
        {
            set = new SequenceSet([], isSavedResult: true);
            return true;
        }

        List<(uint, uint)> ranges = [];
        while (true)
        {
            int comma = text.IndexOf(',');
            ReadOnlySpan<char> item = comma < 0 ? text : text[..comma];
            int colon = item.IndexOf(':');
            if (colon < 0)
            {
                if (!TryParseNumber(item, out uint single))
                {
                    return false;
                }

                ranges.Add((single, single));
            }
            else if (!TryParseNumber(item[..colon], out uint first) || !TryParseNumber(item[(colon + 1)..], out uint last))
            {
                return false;
            }
            else
            {
                ranges.Add((first, last));
            }

            if (comma < 0)
            {
                break;
            }

            text = text[(comma + 1)..];
        }

        set = new SequenceSet([.. ranges], isSavedResult: false);
        return true;
    }

    /// <summary>
    /// Message sequence numbers in 1..<paramref name="messageCount"/> the set names, ascending, without duplicates;
    /// "*" is <paramref name="messageCount"/>. Numbers beyond the count are left out (see <see cref="ContainsOutOfRange"/>).
    /// </summary>
    public IReadOnlyList<int> ToSequenceNumbers(int messageCount)
    {
        ThrowIfSaved();
        List<int> result = [];
        if (messageCount <= 0)
        {
            return result;
        }

        foreach ((uint first, uint last) in Normalize((uint)messageCount))
        {
            if (first > (uint)messageCount)
            {
                continue;
            }

            uint end = Math.Min(last, (uint)messageCount);
            for (uint n = first; n <= end; n++)
            {
                result.Add((int)n);
            }
        }

        return result;
    }

    /// <summary>
    /// The UIDs of <paramref name="ascendingUids"/> the set names, ascending; "*" is the highest UID, and UIDs that do not
    /// exist are ignored (RFC 9051 §6.4.9), so "N:*" with N above every UID still names the last message.
    /// </summary>
    public IReadOnlyList<uint> ToUids(IReadOnlyList<uint> ascendingUids)
    {
        ArgumentNullException.ThrowIfNull(ascendingUids);
        ThrowIfSaved();
        List<uint> result = [];
        if (ascendingUids.Count == 0)
        {
            return result;
        }

        foreach ((uint first, uint last) in Normalize(ascendingUids[^1]))
        {
            for (int i = LowerBound(ascendingUids, first); i < ascendingUids.Count && ascendingUids[i] <= last; i++)
            {
                result.Add(ascendingUids[i]);
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="value"/> is in the set, with "*" standing for <paramref name="star"/>.</summary>
    public bool Contains(uint value, uint star)
    {
        ThrowIfSaved();
        if (_merged is not { } merged || merged.Star != star)
        {
            merged = (star, [.. Normalize(star)]);
            _merged = merged;
        }

        // The last range starting at or below the value is the only one that can hold it.
        (uint First, uint Last)[] ranges = merged.Ranges;
        int low = 0;
        int high = ranges.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (ranges[middle].First > value)
            {
                high = middle - 1;
            }
            else if (ranges[middle].Last < value)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The set as sorted, merged, disjoint ranges, with "*" standing for <paramref name="star"/>.</summary>
    public IReadOnlyList<(uint First, uint Last)> GetRanges(uint star)
    {
        ThrowIfSaved();
        return Normalize(star);
    }

    /// <summary>
    /// Whether a message sequence set names a number above <paramref name="messageCount"/> (including any "*" when the
    /// mailbox is empty): RFC 9051 §9 seq-number requires such a command to be answered BAD.
    /// </summary>
    public bool ContainsOutOfRange(int messageCount)
    {
        ThrowIfSaved();
        foreach ((uint first, uint last) in _ranges)
        {
            if (messageCount <= 0 || first > (uint)messageCount || last > (uint)messageCount)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString()
    {
        if (IsSavedResult)
        {
            return "$";
        }

        StringBuilder text = new();
        foreach ((uint first, uint last) in _ranges)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            AppendNumber(text, first);
            if (first != last)
            {
                text.Append(':');
                AppendNumber(text, last);
            }
        }

        return text.ToString();
    }

    /// <summary>Compact form of ascending values for COPYUID, ESEARCH and the like: "1:3,5,9:10"; empty for none.</summary>
    public static string Format(IEnumerable<uint> ascendingValues)
    {
        ArgumentNullException.ThrowIfNull(ascendingValues);
        StringBuilder text = new();
        bool open = false;
        uint start = 0;
        uint previous = 0;
        foreach (uint value in ascendingValues)
        {
            if (open && value == previous + 1 && previous != uint.MaxValue)
            {
                previous = value;
                continue;
            }

            if (open)
            {
                AppendRun(text, start, previous);
            }

            open = true;
            start = value;
            previous = value;
        }

        if (open)
        {
            AppendRun(text, start, previous);
        }

        return text.ToString();
    }

    private static void AppendRun(StringBuilder text, uint start, uint end)
    {
        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(start.ToString(CultureInfo.InvariantCulture));
        if (end != start)
        {
            text.Append(':').Append(end.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void AppendNumber(StringBuilder text, uint value)
    {
        if (value == Star)
        {
            text.Append('*');
        }
        else
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    // nz-number = digit-nz *DIGIT, at most 4294967295 (RFC 9051 §9); "*" is parsed as Star.
    private static bool TryParseNumber(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        if (text.SequenceEqual("*"))
        {
            value = Star;
            return true;
        }

        if (text.IsEmpty || text[0] is < '1' or > '9')
        {
            return false;
        }

        ulong accumulated = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            accumulated = (accumulated * 10) + (ulong)(c - '0');
            if (accumulated > uint.MaxValue)
            {
                return false;
            }
        }

        value = (uint)accumulated;
        return true;
    }

    private static int LowerBound(IReadOnlyList<uint> values, uint target)
    {
        int low = 0;
        int high = values.Count;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (values[middle] < target)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    // Resolves "*", orders each range, then sorts and merges overlapping or adjacent ranges.
    private List<(uint First, uint Last)> Normalize(uint star)
    {
        List<(uint First, uint Last)> resolved = new(_ranges.Length);
        foreach ((uint first, uint last) in _ranges)
        {
            uint a = first == Star ? star : first;
            uint b = last == Star ? star : last;
            resolved.Add(a <= b ? (a, b) : (b, a));
        }

        resolved.Sort();
        List<(uint First, uint Last)> merged = new(resolved.Count);
        foreach ((uint first, uint last) in resolved)
        {
            if (merged.Count > 0 && (ulong)first <= (ulong)merged[^1].Last + 1)
            {
                merged[^1] = (merged[^1].First, Math.Max(merged[^1].Last, last));
            }
            else
            {
                merged.Add((first, last));
            }
        }

        return merged;
    }

    private void ThrowIfSaved()
    {
        if (IsSavedResult)
        {
            throw new InvalidOperationException("The saved search result \"$\" must be substituted by the caller.");
        }
    }
}
