using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// Flag lists of STORE and APPEND (RFC 9051 §2.3.2): system flags by name, other atoms as keywords. Linear in the list
/// (keywords are deduplicated through a set), and bounded: a message carries at most
/// <see cref="ImapOptions.MaxKeywordsPerMessage"/> keywords.
/// </summary>
internal static class FlagList
{
    /// <summary>A flag list in parentheses, or (STORE only) flags separated by spaces up to the end.</summary>
    public static List<string> Read(ImapArgumentReader reader, bool allowBare)
    {
        if (reader.PeekChar('(') || !allowBare)
        {
            return reader.ReadParenthesizedAtoms();
        }

        var flags = new List<string>();
        do
        {
            bool system = reader.PeekChar('\\');
            if (system)
            {
                reader.ReadChar('\\');
            }

            string atom = reader.ReadAtom();
            flags.Add(system ? "\\" + atom : atom);
        }
        while (reader.TryReadSpace());
        return flags;
    }

    /// <summary>
    /// Splits names into system flags and keywords (duplicates, in any case, dropped); \Recent and unknown system
    /// flags are a BAD, more than <paramref name="maxKeywords"/> distinct keywords an <see cref="ImapLimitException"/>.
    /// </summary>
    public static (MessageFlags Flags, List<string> Keywords) Parse(List<string> names, int maxKeywords)
    {
        MessageFlags flags = MessageFlags.None;
        var keywords = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            if (!name.StartsWith('\\'))
            {
                if (seen.Add(name))
                {
                    keywords.Add(name);
                    if (keywords.Count > maxKeywords)
                    {
                        throw new ImapLimitException("Too many keywords.");
                    }
                }

                continue;
            }

            flags |= name.ToUpperInvariant() switch
            {
                "\\SEEN" => MessageFlags.Seen,
                "\\ANSWERED" => MessageFlags.Answered,
                "\\FLAGGED" => MessageFlags.Flagged,
                "\\DELETED" => MessageFlags.Deleted,
                "\\DRAFT" => MessageFlags.Draft,
                _ => throw new ImapParseException("Invalid system flag " + name + "."),
            };
        }

        keywords.Sort(StringComparer.OrdinalIgnoreCase);
        return (flags, keywords);
    }

    /// <summary>How many distinct keywords (in any case) a message has once <paramref name="added"/> join <paramref name="current"/>.</summary>
    public static int CountAfterAdding(IReadOnlyList<string> current, IReadOnlyList<string> added)
    {
        var all = new HashSet<string>(current, StringComparer.OrdinalIgnoreCase);
        all.UnionWith(added);
        return all.Count;
    }
}
