using System.Globalization;

namespace Mailroom.Imap.Protocol.Contexts;

/// <summary>
/// RETURN (PARTIAL low:high) of RFC 5267 §4.4: the 1-based positions low to high of the result (in result order), each a
/// non-zero 32-bit number; "4:2" means "2:4". Anything else (a single number, "*", 0, a negative number, an overflow)
/// is a syntax error, answered with BAD.
/// </summary>
internal readonly record struct PartialRange(uint Low, uint High)
{
    public static PartialRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !TryNumber(text.AsSpan(0, colon), out uint first) || !TryNumber(text.AsSpan(colon + 1), out uint second))
        {
            throw new ImapParseException("PARTIAL needs a range of two non-zero numbers, as 1:100");
        }

        return first <= second ? new PartialRange(first, second) : new PartialRange(second, first);
    }

    /// <summary>The 0-based start and the count of the positions within a result of <paramref name="count"/> entries.</summary>
    public (int Start, int Length) Within(int count)
    {
        if (Low > count)
        {
            return (0, 0);
        }

        int start = (int)(Low - 1);
        long end = Math.Min(High, (uint)count);
        return (start, (int)(end - start));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Low}:{High}");

    private static bool TryNumber(ReadOnlySpan<char> digits, out uint value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value != 0;
    }
}
