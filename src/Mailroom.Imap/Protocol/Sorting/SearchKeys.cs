namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>The search part SORT and THREAD share with SEARCH: a charset, then search keys to the end of the command.</summary>
internal static class SearchKeys
{
    /// <summary>
    /// RFC 5256 §3: SORT and THREAD name a charset; US-ASCII and UTF-8 are the ones every server supports. Others get
    /// <c>NO [BADCHARSET (UTF-8 US-ASCII)]</c>.
    /// </summary>
    public static void CheckCharset(string charset)
    {
        if (!charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedCharsetException("Unsupported charset " + charset);
        }
    }

    /// <summary>search-key *(SP search-key) up to the end of the command, with SEARCH's limits.</summary>
    public static SearchKey ParseToEnd(ImapArgumentReader reader, int maxDepth, int maxKeys)
    {
        var parser = new SearchKeyParser(maxDepth, maxKeys);
        List<SearchKey> keys = [parser.ParseKey(reader, 0)];
        while (reader.TryReadSpace())
        {
            keys.Add(parser.ParseKey(reader, 0));
        }

        reader.ReadEnd();
        return keys.Count == 1 ? keys[0] : new SearchKey.And(keys);
    }

    public static bool Any(SearchKey key, Func<SearchKey, bool> predicate) => key switch
    {
        SearchKey.And and => and.Keys.Any(k => Any(k, predicate)),
        SearchKey.Or or => Any(or.Left, predicate) || Any(or.Right, predicate),
        SearchKey.Not not => Any(not.Key, predicate),
        _ => predicate(key),
    };
}
