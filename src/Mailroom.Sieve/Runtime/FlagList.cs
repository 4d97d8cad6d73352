namespace Mailroom.Sieve.Runtime;

/// <summary>
/// IMAP flag lists as imap4flags handles them (RFC 5232 §3): a string of space-separated flags, each flag once
/// (compared case-insensitively), order kept.
/// </summary>
internal static class FlagList
{
    public static List<string> Split(IEnumerable<string> values)
    {
        var flags = new List<string>();
        foreach (string value in values)
        {
            foreach (string flag in value.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                AddOnce(flags, flag);
            }
        }

        return flags;
    }

    public static void AddOnce(List<string> flags, string flag)
    {
        if (!flags.Exists(f => f.Equals(flag, StringComparison.OrdinalIgnoreCase)))
        {
            flags.Add(flag);
        }
    }

    public static string Join(IEnumerable<string> flags) => string.Join(' ', flags);

    /// <summary>
    /// The flags an IMAP store can set: the system flags of RFC 9051 §2.3.2 (not <c>\Recent</c>) in their usual
    /// spelling, and keywords that are IMAP atoms. Anything else is dropped (RFC 5232 §3: invalid flags are ignored).
    /// </summary>
    public static List<string> ForStore(IEnumerable<string> flags)
    {
        var valid = new List<string>();
        foreach (string flag in flags)
        {
            string? canonical = Canonical(flag);
            if (canonical is not null)
            {
                AddOnce(valid, canonical);
            }
        }

        return valid;
    }

    private static string? Canonical(string flag)
    {
        if (flag.StartsWith('\\'))
        {
            return flag.ToLowerInvariant() switch
            {
                "\\seen" => "\\Seen",
                "\\answered" => "\\Answered",
                "\\flagged" => "\\Flagged",
                "\\deleted" => "\\Deleted",
                "\\draft" => "\\Draft",
                _ => null,
            };
        }

        foreach (char c in flag)
        {
            // RFC 9051 atom: no atom-specials (and no resp-specials "]").
            if (c <= ' ' || c >= 0x7f || c is '(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']')
            {
                return null;
            }
        }

        return flag;
    }
}
