namespace Mailroom.Sieve.Language.Matching;

/// <summary>Equality, ordering and substring search of the three comparators (RFC 4790 §9).</summary>
internal static class Comparators
{
    public static bool TryParse(string name, out ComparatorKind kind)
    {
        switch (name)
        {
            case "i;octet":
                kind = ComparatorKind.Octet;
                return true;
            case "i;ascii-casemap":
                kind = ComparatorKind.AsciiCasemap;
                return true;
            case "i;ascii-numeric":
                kind = ComparatorKind.AsciiNumeric;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public static bool CharEquals(ComparatorKind kind, char a, char b) =>
        a == b || (kind == ComparatorKind.AsciiCasemap && char.IsAsciiLetter(a) && (a | 0x20) == (b | 0x20));

    public static bool AreEqual(ComparatorKind kind, string a, string b) => kind switch
    {
        ComparatorKind.Octet => string.Equals(a, b, StringComparison.Ordinal),
        ComparatorKind.AsciiCasemap => a.Length == b.Length && CasemapCompare(a, b) == 0,
        _ => NumericCompare(a, b) == 0,
    };

    /// <summary>Orders <paramref name="a"/> against <paramref name="b"/> (RFC 5231 relational tests).</summary>
    public static int Compare(ComparatorKind kind, string a, string b) => kind switch
    {
        ComparatorKind.Octet => Math.Sign(string.CompareOrdinal(a, b)),
        ComparatorKind.AsciiCasemap => CasemapCompare(a, b),
        _ => NumericCompare(a, b),
    };

    /// <summary>Substring search (<c>:contains</c>); not defined for i;ascii-numeric, which validation refuses.</summary>
    public static bool Contains(ComparatorKind kind, string haystack, string needle) =>
        kind == ComparatorKind.Octet
            ? haystack.Contains(needle, StringComparison.Ordinal)
            : IndexOfCasemap(haystack, needle, 0) >= 0;

    private static int IndexOfCasemap(string haystack, string needle, int start)
    {
        for (int i = start; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && CharEquals(ComparatorKind.AsciiCasemap, haystack[i + j], needle[j]))
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static int CasemapCompare(string a, string b)
    {
        int length = Math.Min(a.Length, b.Length);
        for (int i = 0; i < length; i++)
        {
            int x = Fold(a[i]);
            int y = Fold(b[i]);
            if (x != y)
            {
                return x < y ? -1 : 1;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static int Fold(char c) => c is >= 'a' and <= 'z' ? c - 32 : c;

    /// <summary>
    /// RFC 4790 §9.1: the value of a string is the number its leading digits spell (any length: compared as digit
    /// strings without leading zeros); a string that does not start with a digit is positive infinity, equal to another such.
    /// </summary>
    private static int NumericCompare(string a, string b)
    {
        ReadOnlySpan<char> x = Digits(a);
        ReadOnlySpan<char> y = Digits(b);
        bool xInfinite = a.Length == 0 || !char.IsAsciiDigit(a[0]);
        bool yInfinite = b.Length == 0 || !char.IsAsciiDigit(b[0]);
        if (xInfinite || yInfinite)
        {
            return xInfinite == yInfinite ? 0 : xInfinite ? 1 : -1;
        }

        if (x.Length != y.Length)
        {
            return x.Length < y.Length ? -1 : 1;
        }

        return Math.Sign(x.SequenceCompareTo(y));
    }

    private static ReadOnlySpan<char> Digits(string value)
    {
        int end = 0;
        while (end < value.Length && char.IsAsciiDigit(value[end]))
        {
            end++;
        }

        ReadOnlySpan<char> digits = value.AsSpan(0, end).TrimStart('0');
        return digits;
    }
}
