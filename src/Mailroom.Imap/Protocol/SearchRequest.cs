namespace Mailroom.Imap.Protocol;

/// <summary>
/// The arguments of SEARCH: "[RETURN (options)] [CHARSET x] key..." (RFC 9051 §6.4.4, RFC 4731 ESEARCH, RFC 5182
/// SAVE). Keys follow RFC 9051 §6.4.4 and RFC 3501 (NEW, OLD, RECENT) and RFC 7162 (MODSEQ).
/// </summary>
internal sealed class SearchRequest
{
    public const string BadCharsetCode = "BADCHARSET (UTF-8 US-ASCII)";

    private SearchRequest(SearchKey key, Contexts.ReturnOptions returnOptions, bool returnSpecified, string? charset)
    {
        Key = key;
        ReturnOptions = returnOptions.Results;
        Partial = returnOptions.Partial;
        Update = returnOptions.Update;
        ReturnSpecified = returnSpecified;
        Charset = charset;
        NeedsContent = Any(key, static k => k is SearchKey.Header or SearchKey.Body or SearchKey.Text or SearchKey.SentDate);
        UsesModSeq = Any(key, static k => k is SearchKey.ModSeq);
    }

    public SearchKey Key { get; }

    /// <summary>Upper-case RETURN options in the order given (MIN, MAX, ALL, COUNT, SAVE); "RETURN ()" means ALL
    /// (RFC 4731 §3.1), RETURN (UPDATE) or (PARTIAL n:m) alone names none. Empty for the plain SEARCH form.</summary>
    public IReadOnlyList<string> ReturnOptions { get; }

    /// <summary>RETURN (PARTIAL low:high), RFC 5267 §4.4.</summary>
    public Contexts.PartialRange? Partial { get; }

    /// <summary>RETURN (UPDATE), RFC 5267 §4.3: keep the result and report its changes.</summary>
    public bool Update { get; }

    /// <summary>RETURN was given: answer with ESEARCH (RFC 4731) rather than SEARCH.</summary>
    public bool ReturnSpecified { get; }

    /// <summary>The CHARSET given, if any (only US-ASCII and UTF-8 are accepted).</summary>
    public string? Charset { get; }

    /// <summary>Some key reads the message's header or body (HEADER, FROM..., BODY, TEXT, SENT*).</summary>
    public bool NeedsContent { get; }

    /// <summary>A MODSEQ key is present: the untagged SEARCH response carries "(MODSEQ n)" (RFC 7162 §3.1.5).</summary>
    public bool UsesModSeq { get; }

    /// <summary>
    /// Parses everything after "SEARCH " (or "UID SEARCH ") to the end of the command; keys nested deeper than
    /// <paramref name="maxDepth"/> are a parse error, more than <paramref name="maxKeys"/> an <see cref="ImapLimitException"/>.
    /// </summary>
    public static SearchRequest Parse(ref ImapArgumentReader reader, bool allowReturnOptions, int maxDepth, int maxKeys)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Contexts.ReturnOptions returnOptions = Contexts.ReturnOptions.None;
        bool returnSpecified = false;
        if (reader.TryReadKeyword("RETURN"))
        {
            if (!allowReturnOptions)
            {
                throw new ImapParseException("RETURN options are not allowed here");
            }

            returnSpecified = true;
            reader.ReadSpace();
            returnOptions = Contexts.ReturnOptions.Parse(reader.ReadParenthesizedAtoms(), "SEARCH");
            reader.ReadSpace();
        }

        string? charset = null;
        if (reader.TryReadKeyword("CHARSET"))
        {
            reader.ReadSpace();
            charset = reader.ReadAString();
            if (!charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase))
            {
                throw new ImapParseException("Unsupported charset", BadCharsetCode);
            }

            reader.ReadSpace();
        }

        var parser = new SearchKeyParser(maxDepth, maxKeys);
        List<SearchKey> keys = [parser.ParseKey(reader, 0)];
        while (reader.TryReadSpace())
        {
            keys.Add(parser.ParseKey(reader, 0));
        }

        reader.ReadEnd();
        SearchKey key = keys.Count == 1 ? keys[0] : new SearchKey.And(keys);
        return new SearchRequest(key, returnOptions, returnSpecified, charset);
    }

    private static bool Any(SearchKey key, Func<SearchKey, bool> predicate) => key switch
    {
        SearchKey.And and => and.Keys.Any(k => Any(k, predicate)),
        SearchKey.Or or => Any(or.Left, predicate) || Any(or.Right, predicate),
        SearchKey.Not not => Any(not.Key, predicate),
        _ => predicate(key),
    };
}
