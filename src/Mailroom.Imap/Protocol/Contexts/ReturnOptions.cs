namespace Mailroom.Imap.Protocol.Contexts;

/// <summary>
/// The RETURN options of SEARCH and SORT: MIN, MAX, ALL, COUNT (RFC 4731 §3.1, RFC 5267 §3), SAVE (RFC 5182),
/// PARTIAL low:high, UPDATE and the CONTEXT hint (RFC 5267 §4). "RETURN ()" means ALL; so does a list holding only the
/// CONTEXT hint.
/// </summary>
internal sealed class ReturnOptions
{
    private ReturnOptions(IReadOnlyList<string> results, PartialRange? partial, bool update)
    {
        Results = results;
        Partial = partial;
        Update = update;
    }

    /// <summary>Upper-case result options in the order given (MIN, MAX, ALL, COUNT, SAVE), no duplicates.</summary>
    public IReadOnlyList<string> Results { get; }

    /// <summary>RETURN (PARTIAL low:high): only those positions of the result, as <c>PARTIAL (low:high set)</c>.</summary>
    public PartialRange? Partial { get; }

    /// <summary>RETURN (UPDATE): keep the result and report ADDTO/REMOVEFROM as it changes (RFC 5267 §4.3).</summary>
    public bool Update { get; }

    /// <summary>Parses the atoms of "RETURN (...)" for <paramref name="command"/> (named in errors).</summary>
    public static ReturnOptions Parse(List<string> atoms, string command)
    {
        ArgumentNullException.ThrowIfNull(atoms);
        List<string> results = [];
        PartialRange? partial = null;
        bool update = false;
        for (int i = 0; i < atoms.Count; i++)
        {
            string upper = atoms[i].ToUpperInvariant();
            switch (upper)
            {
                case "MIN" or "MAX" or "ALL" or "COUNT" or "SAVE":
                    if (!results.Contains(upper))
                    {
                        results.Add(upper);
                    }

                    break;
                case "CONTEXT":
                    // RFC 5267 §4.2: a hint that the client will ask for more of the result; nothing to return.
                    break;
                case "UPDATE" when !update:
                    update = true;
                    break;
                case "PARTIAL" when partial is null && i + 1 < atoms.Count:
                    partial = PartialRange.Parse(atoms[++i]);
                    break;
                default:
                    throw new ImapParseException("Unknown or repeated " + command + " return option " + atoms[i]);
            }
        }

        if (partial is not null && results.Contains("ALL"))
        {
            // RFC 5267 §4.4: PARTIAL returns part of what ALL would; asking for both is contradictory.
            throw new ImapParseException("PARTIAL conflicts with ALL");
        }

        if (results.Count == 0 && partial is null && !update)
        {
            // RFC 4731 §3.1: "RETURN ()" is "RETURN (ALL)"; the CONTEXT hint alone changes nothing.
            results.Add("ALL");
        }

        return new ReturnOptions(results, partial, update);
    }

    /// <summary>No RETURN at all: the classic SEARCH/SORT response.</summary>
    public static ReturnOptions None { get; } = new([], null, update: false);
}
