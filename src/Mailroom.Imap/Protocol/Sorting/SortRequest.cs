using Mailroom.Imap.Protocol.Contexts;

namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// The arguments of SORT (RFC 5256 §3) with ESORT's and CONTEXT=SORT's return options (RFC 5267 §3, §4):
/// <c>[RETURN (options)] (sort-criteria) charset search-criteria</c>.
/// </summary>
internal sealed class SortRequest
{
    private SortRequest(IReadOnlyList<SortCriterion> criteria, SearchKey key, Contexts.ReturnOptions returnOptions, bool returnSpecified)
    {
        Criteria = criteria;
        Key = key;
        ReturnOptions = returnOptions.Results;
        Partial = returnOptions.Partial;
        Update = returnOptions.Update;
        ReturnSpecified = returnSpecified;
        UsesModSeq = SearchKeys.Any(key, static k => k is SearchKey.ModSeq);
    }

    public IReadOnlyList<SortCriterion> Criteria { get; }

    public SearchKey Key { get; }

    /// <summary>Upper-case RETURN options (MIN, MAX, ALL, COUNT, SAVE); "RETURN ()" means ALL (RFC 4731 §3.1).</summary>
    public IReadOnlyList<string> ReturnOptions { get; }

    /// <summary>RETURN (PARTIAL low:high), RFC 5267 §4.4: positions in sort order.</summary>
    public PartialRange? Partial { get; }

    /// <summary>RETURN (UPDATE), RFC 5267 §4.3: keep the sorted result and report its changes (CONTEXT=SORT).</summary>
    public bool Update { get; }

    /// <summary>RETURN was given: the answer is <c>* ESEARCH</c> (RFC 5267 §3.2), not <c>* SORT</c>.</summary>
    public bool ReturnSpecified { get; }

    /// <summary>A MODSEQ key is present (RFC 7162 §3.1.5 MODSEQ in the response).</summary>
    public bool UsesModSeq { get; }

    public static SortRequest Parse(ImapArgumentReader reader, int maxDepth, int maxKeys)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Contexts.ReturnOptions returnOptions = Contexts.ReturnOptions.None;
        bool returnSpecified = false;
        if (reader.TryReadKeyword("RETURN"))
        {
            returnSpecified = true;
            reader.ReadSpace();
            returnOptions = Contexts.ReturnOptions.Parse(reader.ReadParenthesizedAtoms(), "SORT");
            reader.ReadSpace();
        }

        IReadOnlyList<SortCriterion> criteria = ParseCriteria(reader.ReadParenthesizedAtoms());
        reader.ReadSpace();
        SearchKeys.CheckCharset(reader.ReadAString());
        reader.ReadSpace();
        SearchKey key = SearchKeys.ParseToEnd(reader, maxDepth, maxKeys);
        return new SortRequest(criteria, key, returnOptions, returnSpecified);
    }

    /// <summary>sort-criteria = "(" sort-criterion *(SP sort-criterion) ")", sort-criterion = ["REVERSE" SP] sort-key.</summary>
    private static List<SortCriterion> ParseCriteria(List<string> atoms)
    {
        List<SortCriterion> criteria = [];
        bool reverse = false;
        foreach (string atom in atoms)
        {
            string upper = atom.ToUpperInvariant();
            if (upper == "REVERSE")
            {
                if (reverse)
                {
                    throw new ImapParseException("REVERSE must be followed by a sort key");
                }

                reverse = true;
                continue;
            }

            SortKeyKind kind = upper switch
            {
                "ARRIVAL" => SortKeyKind.Arrival,
                "CC" => SortKeyKind.Cc,
                "DATE" => SortKeyKind.Date,
                "FROM" => SortKeyKind.From,
                "SIZE" => SortKeyKind.Size,
                "SUBJECT" => SortKeyKind.Subject,
                "TO" => SortKeyKind.To,
                "DISPLAYFROM" => SortKeyKind.DisplayFrom,
                "DISPLAYTO" => SortKeyKind.DisplayTo,
                _ => throw new ImapParseException("Unknown sort key " + atom),
            };
            criteria.Add(new SortCriterion(kind, reverse));
            reverse = false;
        }

        if (reverse || criteria.Count == 0)
        {
            throw new ImapParseException("Sort criteria must name a sort key");
        }

        return criteria;
    }
}
