namespace Mailroom.Sieve.Language.Matching;

/// <summary>
/// A <c>:matches</c> pattern (RFC 5228 §2.7.1): <c>*</c> any run of characters, <c>?</c> one character, <c>\</c>
/// quoting the next. Matching places the fixed segments between stars leftmost, which finds a match whenever one exists
/// and gives each star the shortest text (RFC 5229 §3.2's non-greedy match values), in O(value × pattern) time.
/// </summary>
internal sealed class WildcardPattern
{
    // Each segment is the text between two stars; '\0' marks '?' positions through the Any flags.
    private readonly Segment[] _segments;

    private WildcardPattern(Segment[] segments)
    {
        _segments = segments;
    }

    public static WildcardPattern Parse(string pattern)
    {
        var segments = new List<Segment>();
        var chars = new List<char>();
        var any = new List<bool>();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                chars.Add(pattern[++i]);
                any.Add(false);
            }
            else if (c == '*')
            {
                segments.Add(new Segment([.. chars], [.. any]));
                chars.Clear();
                any.Clear();
            }
            else
            {
                chars.Add(c);
                any.Add(c == '?');
            }
        }

        segments.Add(new Segment([.. chars], [.. any]));
        return new WildcardPattern([.. segments]);
    }

    /// <summary>Matches the whole value; on success fills <paramref name="captures"/> (if given) with ${0}, then one value per wildcard.</summary>
    public bool Match(string value, ComparatorKind comparator, List<string>? captures)
    {
        int stars = _segments.Length - 1;
        Segment first = _segments[0];
        if (stars == 0)
        {
            if (value.Length != first.Length || !first.MatchesAt(value, 0, comparator))
            {
                return false;
            }

            if (captures is not null)
            {
                captures.Clear();
                captures.Add(value);
                first.Capture(value, 0, captures);
            }

            return true;
        }

        Segment last = _segments[^1];
        if (first.Length + last.Length > value.Length || !first.MatchesAt(value, 0, comparator))
        {
            return false;
        }

        int lastStart = value.Length - last.Length;
        if (!last.MatchesAt(value, lastStart, comparator))
        {
            return false;
        }

        var starts = new int[_segments.Length];
        starts[^1] = lastStart;
        int position = first.Length;
        for (int s = 1; s < stars; s++)
        {
            int found = _segments[s].FindFrom(value, position, lastStart, comparator);
            if (found < 0)
            {
                return false;
            }

            starts[s] = found;
            position = found + _segments[s].Length;
        }

        if (captures is not null)
        {
            captures.Clear();
            captures.Add(value);
            int end = 0;
            for (int s = 0; s < _segments.Length; s++)
            {
                if (s > 0)
                {
                    captures.Add(value[end..starts[s]]);
                }

                _segments[s].Capture(value, starts[s], captures);
                end = starts[s] + _segments[s].Length;
            }
        }

        return true;
    }

    private sealed class Segment(char[] chars, bool[] any)
    {
        public int Length => chars.Length;

        public bool MatchesAt(string value, int start, ComparatorKind comparator)
        {
            for (int i = 0; i < chars.Length; i++)
            {
                if (!any[i] && !Comparators.CharEquals(comparator, value[start + i], chars[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The leftmost start at or after <paramref name="from"/> whose segment ends by <paramref name="limit"/>.</summary>
        public int FindFrom(string value, int from, int limit, ComparatorKind comparator)
        {
            for (int start = from; start + chars.Length <= limit; start++)
            {
                if (MatchesAt(value, start, comparator))
                {
                    return start;
                }
            }

            return -1;
        }

        public void Capture(string value, int start, List<string> captures)
        {
            for (int i = 0; i < chars.Length; i++)
            {
                if (any[i])
                {
                    captures.Add(value[start + i].ToString());
                }
            }
        }
    }
}
