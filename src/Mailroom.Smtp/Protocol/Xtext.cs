using System.Text;

namespace Mailroom.Smtp.Protocol;

/// <summary>RFC 3461 §4: <c>xtext = *( xchar / hexchar )</c>, with <c>hexchar = "+" 2(%x30-39 / %x41-46)</c>.</summary>
internal static class Xtext
{
    /// <summary>Decodes xtext; null when the text is not valid xtext.</summary>
    public static string? Decode(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '+')
            {
                if (i + 2 >= text.Length || !IsUpperHex(text[i + 1]) || !IsUpperHex(text[i + 2]))
                {
                    return null;
                }

                builder.Append((char)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
            }
            else if (c is < '!' or > '~' or '=')
            {
                // xchar is any ASCII CHAR between "!" (33) and "~" (126) inclusive, except "+" and "=".
                return null;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';

    private static int HexValue(char c) => char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
}
