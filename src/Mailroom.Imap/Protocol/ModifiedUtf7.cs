using System.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable US-ASCII except "&amp;" stands for itself,
/// "&amp;" is "&amp;-", anything else is UTF-16BE in modified BASE64 ("," for "/", no padding) between "&amp;" and "-".
/// </summary>
internal static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    public static string Encode(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        StringBuilder output = new(s.Length + 8);
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '&')
            {
                output.Append("&-");
                i++;
            }
            else if (c is >= ' ' and <= '~')
            {
                output.Append(c);
                i++;
            }
            else
            {
                int start = i;
                while (i < s.Length && s[i] is < ' ' or > '~')
                {
                    i++;
                }

                output.Append('&');
                AppendBase64(output, s.AsSpan(start, i - start));
                output.Append('-');
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// Decodes strictly: rejects 8-bit and control characters, bad BASE64, non-zero padding bits, an odd number of
    /// bytes, unpaired surrogates, encoded printable ASCII and adjacent encoded runs (RFC 3501 §5.1.3 forbids both),
    /// so that every name has exactly one encoding.
    /// </summary>
    public static bool TryDecode(string s, out string decoded)
    {
        ArgumentNullException.ThrowIfNull(s);
        decoded = s;
        if (!s.Contains('&', StringComparison.Ordinal))
        {
            foreach (char c in s)
            {
                if (c is < ' ' or > '~')
                {
                    return false;
                }
            }

            return true;
        }

        StringBuilder output = new(s.Length);
        bool previousWasEncoded = false;
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c is < ' ' or > '~')
            {
                return false;
            }

            if (c != '&')
            {
                output.Append(c);
                previousWasEncoded = false;
                i++;
                continue;
            }

            int end = s.IndexOf('-', i + 1);
            if (end < 0)
            {
                return false;
            }

            if (end == i + 1)
            {
                output.Append('&');
                previousWasEncoded = false;
            }
            else
            {
                if (previousWasEncoded || !TryDecodeRun(s.AsSpan(i + 1, end - i - 1), output))
                {
                    return false;
                }

                previousWasEncoded = true;
            }

            i = end + 1;
        }

        decoded = output.ToString();
        return true;
    }

    private static void AppendBase64(StringBuilder output, ReadOnlySpan<char> text)
    {
        int bits = 0;
        int bitCount = 0;
        foreach (char c in text)
        {
            bits = (bits << 16) | c;
            bitCount += 16;
            while (bitCount >= 6)
            {
                bitCount -= 6;
                output.Append(Alphabet[(bits >> bitCount) & 0x3F]);
            }

            bits &= (1 << bitCount) - 1;
        }

        if (bitCount > 0)
        {
            output.Append(Alphabet[(bits << (6 - bitCount)) & 0x3F]);
        }
    }

    private static bool TryDecodeRun(ReadOnlySpan<char> run, StringBuilder output)
    {
        int bits = 0;
        int bitCount = 0;
        int start = output.Length;
        foreach (char c in run)
        {
            int value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }

            bits = (bits << 6) | value;
            bitCount += 6;
            if (bitCount >= 16)
            {
                bitCount -= 16;
                char decoded = (char)((bits >> bitCount) & 0xFFFF);
                if (decoded is >= ' ' and <= '~')
                {
                    return false;
                }

                output.Append(decoded);
                bits &= (1 << bitCount) - 1;
            }
        }

        // Leftover bits must be fewer than a character and all zero.
        if (bitCount >= 6 || bits != 0 || output.Length == start)
        {
            return false;
        }

        for (int i = start; i < output.Length; i++)
        {
            char c = output[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= output.Length || !char.IsLowSurrogate(output[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
