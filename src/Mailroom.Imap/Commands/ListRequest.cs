using Mailroom.Imap.Protocol;
using Mailroom.Imap.Server;

namespace Mailroom.Imap.Commands;

/// <summary>The parsed arguments of an extended LIST (RFC 5258 §6 grammar).</summary>
internal sealed class ListRequest
{
    private ListRequest(List<string> patterns, bool extended)
    {
        Patterns = patterns;
        Extended = extended;
    }

    /// <summary>Reference and pattern combined, one per pattern given.</summary>
    public List<string> Patterns { get; }

    /// <summary>Selection options, several patterns or return options were used (RFC 5258 §3).</summary>
    public bool Extended { get; private set; }

    public bool SelectSubscribed { get; private set; }

    public bool SelectSpecialUse { get; private set; }

    public bool RecursiveMatch { get; private set; }

    public bool ReturnSubscribed { get; private set; }

    /// <summary>RETURN (STATUS (...)) of RFC 5819.</summary>
    public List<string>? StatusItems { get; private set; }

    /// <summary>The distinct patterns compiled for names of at most <paramref name="longestName"/> characters.</summary>
    public List<MailboxPattern> Compile(int longestName) =>
        [.. Patterns.Distinct(StringComparer.Ordinal).Select(p => MailboxPattern.Compile(p, longestName))];

    /// <summary>
    /// Parses the arguments; more patterns than <see cref="ImapOptions.MaxListPatterns"/> are an
    /// <see cref="ImapLimitException"/>.
    /// </summary>
    public static ListRequest Parse(ImapArgumentReader reader, ImapSession session)
    {
        reader.ReadSpace();
        List<string> selection = [];
        bool extended = false;
        if (reader.PeekChar('('))
        {
            selection = reader.ReadParenthesizedAtoms();
            reader.ReadSpace();
            extended = true;
        }

        string reference = reader.ReadListMailbox(session.Utf8Names);
        reader.ReadSpace();
        var patterns = new List<string>();
        if (reader.PeekChar('('))
        {
            extended = true;
            reader.ReadChar('(');
            do
            {
                if (patterns.Count == session.Context.Options.MaxListPatterns)
                {
                    throw new ImapLimitException("Too many mailbox patterns.");
                }

                patterns.Add(MailboxPattern.Combine(reference, reader.ReadListMailbox(session.Utf8Names)));
            }
            while (reader.TryReadSpace());
            reader.ReadChar(')');
        }
        else
        {
            string pattern = reader.ReadListMailbox(session.Utf8Names);
            patterns.Add(pattern.Length == 0 ? "" : MailboxPattern.Combine(reference, pattern));
        }

        var list = new ListRequest(patterns, extended);
        list.ApplySelection(selection);
        if (reader.TryReadSpace())
        {
            if (!reader.ReadAtom().Equals("RETURN", StringComparison.OrdinalIgnoreCase))
            {
                throw new ImapParseException("Expected RETURN.");
            }

            reader.ReadSpace();
            list.ReadReturnOptions(reader, session);
        }

        reader.ReadEnd();
        return list;
    }

    private void ApplySelection(List<string> selection)
    {
        foreach (string option in selection)
        {
            switch (option.ToUpperInvariant())
            {
                case "SUBSCRIBED":
                    SelectSubscribed = true;
                    break;
                case "SPECIAL-USE":
                    SelectSpecialUse = true;
                    break;
                case "RECURSIVEMATCH":
                    RecursiveMatch = true;
                    break;
                case "REMOTE":
                    // RFC 5258 §3.1: no remote mailboxes here, so nothing changes.
                    break;
                default:
                    throw new ImapParseException("Unknown LIST selection option " + option + ".");
            }
        }

        // RFC 5258 §3.1: RECURSIVEMATCH alone is an error.
        if (RecursiveMatch && !SelectSubscribed && !SelectSpecialUse)
        {
            throw new ImapParseException("RECURSIVEMATCH needs another selection option.");
        }
    }

    private void ReadReturnOptions(ImapArgumentReader reader, ImapSession session)
    {
        Extended = true;
        reader.ReadChar('(');
        while (!reader.PeekChar(')'))
        {
            string option = reader.ReadAtom().ToUpperInvariant();
            switch (option)
            {
                case "SUBSCRIBED":
                    ReturnSubscribed = true;
                    break;
                case "CHILDREN":
                case "SPECIAL-USE":
                    // Always returned.
                    break;
                case "STATUS":
                    reader.ReadSpace();
                    StatusItems = Commands.StatusItems.Parse(reader.ReadParenthesizedAtoms(), session);
                    break;
                default:
                    throw new ImapParseException("Unknown LIST return option " + option + ".");
            }

            if (!reader.TryReadSpace())
            {
                break;
            }
        }

        reader.ReadChar(')');
    }
}
