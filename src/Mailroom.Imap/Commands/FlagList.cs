using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>Flag lists of STORE and APPEND (RFC 9051 §2.3.2): system flags by name, other atoms as keywords.</summary>
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

    /// <summary>Splits names into system flags and keywords; \Recent and unknown system flags are a BAD.</summary>
    public static (MessageFlags Flags, List<string> Keywords) Parse(List<string> names)
    {
        MessageFlags flags = MessageFlags.None;
        var keywords = new List<string>();
        foreach (string name in names)
        {
            if (!name.StartsWith('\\'))
            {
                if (!keywords.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    keywords.Add(name);
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
}
