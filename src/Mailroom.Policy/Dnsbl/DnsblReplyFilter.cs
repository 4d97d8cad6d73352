using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mailroom.Policy.Dnsbl;

/// <summary>
/// Postfix's DNSBL reply pattern (<c>postscreen_dnsbl_sites</c>, <c>reject_rbl_client domain=pattern</c>): four octets,
/// each a number or a bracketed list of numbers and ranges separated by <c>;</c>, e.g. <c>127.0.[0..255].[2;4..11]</c>.
/// </summary>
public sealed class DnsblReplyFilter
{
    private readonly (int Low, int High)[][] _octets;

    private DnsblReplyFilter((int Low, int High)[][] octets, string text)
    {
        _octets = octets;
        Text = text;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    public static bool TryParse(string text, out DnsblReplyFilter? filter)
    {
        filter = null;
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return false;
        }

        var octets = new List<(int, int)[]>(4);
        int position = 0;
        while (position <= text.Length)
        {
            int end = NextDot(text, position);
            if (end < 0 || !TryParseOctet(text.AsSpan(position, end - position), out (int, int)[]? ranges))
            {
                return false;
            }

            octets.Add(ranges!);
            position = end + 1;
        }

        if (octets.Count != 4)
        {
            return false;
        }

        filter = new DnsblReplyFilter([.. octets], text);
        return true;
    }

    /// <summary>Whether an A answer of the list matches (IPv6 answers never do: lists answer with 127.0.0.x).</summary>
    public bool Matches(IPAddress answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        answer.TryWriteBytes(bytes, out _);
        for (int i = 0; i < 4; i++)
        {
            bool any = false;
            foreach ((int low, int high) in _octets[i])
            {
                any |= bytes[i] >= low && bytes[i] <= high;
            }

            if (!any)
            {
                return false;
            }
        }

        return true;
    }

    // The end of the octet starting at position: the next dot outside brackets, or the end of the text; -1 when unbalanced.
    private static int NextDot(string text, int position)
    {
        bool inBrackets = false;
        for (int i = position; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '[' when !inBrackets:
                    inBrackets = true;
                    break;
                case ']' when inBrackets:
                    inBrackets = false;
                    break;
                case '[' or ']':
                    return -1;
                case '.' when !inBrackets:
                    return i;
            }
        }

        return inBrackets ? -1 : text.Length;
    }

    private static bool TryParseOctet(ReadOnlySpan<char> text, out (int, int)[]? ranges)
    {
        ranges = null;
        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            var list = new List<(int, int)>();
            foreach (Range part in text[1..^1].Split(';'))
            {
                ReadOnlySpan<char> item = text[1..^1][part];
                int dots = item.IndexOf("..", StringComparison.Ordinal);
                if (dots < 0 && TryNumber(item, out int single))
                {
                    list.Add((single, single));
                }
                else if (dots >= 0 && TryNumber(item[..dots], out int low) && TryNumber(item[(dots + 2)..], out int high) && low <= high)
                {
                    list.Add((low, high));
                }
                else
                {
                    return false;
                }
            }

            ranges = [.. list];
            return list.Count > 0;
        }

        if (!TryNumber(text, out int value))
        {
            return false;
        }

        ranges = [(value, value)];
        return true;
    }

    private static bool TryNumber(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= 255 && text.Length is > 0 and <= 3;
}
