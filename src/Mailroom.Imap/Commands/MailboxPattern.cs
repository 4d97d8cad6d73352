namespace Mailroom.Imap.Commands;

/// <summary>
/// LIST/LSUB name matching (RFC 9051 §6.3.9): "*" matches anything, "%" anything but the hierarchy delimiter "/";
/// the reference is prefixed to the pattern; INBOX matches in any case (RFC 9051 §5.1).
/// </summary>
internal static class MailboxPattern
{
    public const char Delimiter = '/';

    /// <summary>Reference and pattern as one pattern, with a leading INBOX canonicalised.</summary>
    public static string Combine(string reference, string pattern)
    {
        string full = reference + pattern;
        if (full.Length >= 5 && full.AsSpan(0, 5).Equals("INBOX", StringComparison.OrdinalIgnoreCase)
            && (full.Length == 5 || full[5] == Delimiter))
        {
            full = "INBOX" + full[5..];
        }

        return full;
    }

    public static bool IsMatch(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (!pattern.IsEmpty)
        {
            char p = pattern[0];
            if (p is '*' or '%')
            {
                ReadOnlySpan<char> rest = pattern[1..];
                for (int i = 0; i <= name.Length; i++)
                {
                    if (Match(rest, name[i..]))
                    {
                        return true;
                    }

                    if (i < name.Length && p == '%' && name[i] == Delimiter)
                    {
                        return false;
                    }
                }

                return false;
            }

            if (name.IsEmpty || name[0] != p)
            {
                return false;
            }

            pattern = pattern[1..];
            name = name[1..];
        }

        return name.IsEmpty;
    }
}
