namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// The msg-ids (RFC 5322 §3.6.4, <c>"&lt;" id-left "@" id-right "&gt;"</c>) in a Message-ID, In-Reply-To or
/// References value, as RFC 5256 §3 step 1 reads them. Lenient as threading must be with real mail (an id without
/// "@" is kept) but strict about the brackets: text between ids, comments and phrases is skipped. One pass.
/// </summary>
internal static class MessageIds
{
    // An id is at most a line long in practice; a longer one is no id a client could have copied.
    private const int MaxIdLength = 998;

    /// <summary>The ids in <paramref name="value"/> in order; when there are more than <paramref name="keepLast"/>, the last ones.</summary>
    public static List<string> Parse(string? value, int keepLast)
    {
        List<string> ids = [];
        if (string.IsNullOrEmpty(value) || keepLast <= 0)
        {
            return ids;
        }

        var kept = new Queue<string>();
        int at = 0;
        while (at < value.Length)
        {
            int open = value.IndexOf('<', at);
            if (open < 0)
            {
                break;
            }

            int close = value.AsSpan(open + 1).IndexOfAny('<', '>');
            if (close < 0)
            {
                break;
            }

            close += open + 1;
            if (value[close] == '<')
            {
                // "<a <b>": the first was never closed; start again at the second.
                at = close;
                continue;
            }

            string id = Clean(value.AsSpan(open + 1, close - open - 1));
            if (id.Length is > 0 and <= MaxIdLength)
            {
                kept.Enqueue(id);
                if (kept.Count > keepLast)
                {
                    kept.Dequeue();
                }
            }

            at = close + 1;
        }

        ids.AddRange(kept);
        return ids;
    }

    /// <summary>The first id of a Message-ID value, or "" when it has none.</summary>
    public static string First(string? value)
    {
        List<string> ids = Parse(value, int.MaxValue);
        return ids.Count > 0 ? ids[0] : string.Empty;
    }

    // Folding may have put blanks inside an id; they are not part of it (RFC 5322 §3.6.4 allows none).
    private static string Clean(ReadOnlySpan<char> id)
    {
        id = id.Trim(" \t");
        return id.ContainsAny(' ', '\t') ? string.Concat(id.ToString().Split(' ', '\t')) : id.ToString();
    }
}
