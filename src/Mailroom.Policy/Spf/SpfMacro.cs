using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Policy.Spf;

/// <summary>
/// RFC 7208 §7 macros: validation of macro-strings and domain-specs (§12 ABNF) and their expansion. <c>c</c>, <c>r</c>
/// and <c>t</c> are allowed only in explanations (§7.2); an upper-case letter URL-escapes its value (§7.3).
/// </summary>
internal static class SpfMacro
{
    private const string Delimiters = ".-+,/_=";

    /// <summary>RFC 7208 §7.3: a domain-spec ends in a toplabel or a macro.</summary>
    public static bool IsValidDomainSpec(string text)
    {
        if (!IsValidMacroString(text, explanation: false) || text.Length == 0)
        {
            return false;
        }

        if (text.EndsWith('}'))
        {
            return true;
        }

        string trimmed = text.EndsWith('.') ? text[..^1] : text;
        int dot = trimmed.LastIndexOf('.');
        if (dot < 0)
        {
            return false;
        }

        return IsTopLabel(trimmed.AsSpan(dot + 1));
    }

    /// <summary>macro-string = *( macro-expand / macro-literal ), with the letters allowed in its context.</summary>
    public static bool IsValidMacroString(string text, bool explanation)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '%')
            {
                if (i + 1 >= text.Length)
                {
                    return false;
                }

                char next = text[i + 1];
                if (next is '%' or '_' or '-')
                {
                    i++;
                    continue;
                }

                if (next != '{')
                {
                    return false;
                }

                int close = text.IndexOf('}', i + 2);
                if (close < 0 || !IsValidExpand(text.AsSpan(i + 2, close - i - 2), explanation))
                {
                    return false;
                }

                i = close;
            }
            else if (c is < (char)0x21 or > (char)0x7E && !(explanation && c == ' '))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Expands <paramref name="text"/>; a domain-spec result longer than 253 octets loses labels on the left (§7.3).</summary>
    public static async ValueTask<string> ExpandAsync(string text, SpfContext context, string domain, bool explanation, CancellationToken cancellationToken)
    {
        var result = new StringBuilder(text.Length + 32);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '%')
            {
                result.Append(c);
                continue;
            }

            char next = text[++i];
            switch (next)
            {
                case '%':
                    result.Append('%');
                    continue;
                case '_':
                    result.Append(' ');
                    continue;
                case '-':
                    result.Append("%20");
                    continue;
                default:
                    break;
            }

            int close = text.IndexOf('}', i);
            string expand = text[(i + 1)..close];
            i = close;
            char letter = expand[0];
            string value = await ValueAsync(char.ToLowerInvariant(letter), context, domain, cancellationToken).ConfigureAwait(false);
            value = Transform(value, expand.AsSpan(1));
            if (char.IsAsciiLetterUpper(letter))
            {
                value = Uri.EscapeDataString(value);
            }

            result.Append(value);
        }

        string expanded = result.ToString();
        if (!explanation)
        {
            while (expanded.Length > 253 && expanded.IndexOf('.', StringComparison.Ordinal) is int dot and >= 0)
            {
                expanded = expanded[(dot + 1)..];
            }
        }

        return expanded;
    }

    private static bool IsValidExpand(ReadOnlySpan<char> expand, bool explanation)
    {
        // macro-letter transformers *delimiter; transformers = *DIGIT [ "r" ]
        if (expand.IsEmpty)
        {
            return false;
        }

        char letter = char.ToLowerInvariant(expand[0]);
        bool allowed = "slodiphv".Contains(letter, StringComparison.Ordinal) || (explanation && "crt".Contains(letter, StringComparison.Ordinal));
        if (!allowed)
        {
            return false;
        }

        int i = 1;
        int digits = 0;
        while (i < expand.Length && char.IsAsciiDigit(expand[i]))
        {
            i++;
            digits++;
        }

        if (digits > 0 && int.Parse(expand.Slice(1, digits), NumberStyles.None, CultureInfo.InvariantCulture) == 0)
        {
            // §7.3: the DIGIT transformer must be non-zero.
            return false;
        }

        if (i < expand.Length && (expand[i] == 'r' || expand[i] == 'R'))
        {
            i++;
        }

        for (; i < expand.Length; i++)
        {
            if (!Delimiters.Contains(expand[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string Transform(string value, ReadOnlySpan<char> transformers)
    {
        int i = 0;
        int keep = 0;
        while (i < transformers.Length && char.IsAsciiDigit(transformers[i]))
        {
            keep = Math.Min(1000, (keep * 10) + (transformers[i] - '0'));
            i++;
        }

        bool reverse = false;
        if (i < transformers.Length && transformers[i] is 'r' or 'R')
        {
            reverse = true;
            i++;
        }

        ReadOnlySpan<char> delimiters = transformers[i..];
        if (keep == 0 && !reverse && delimiters.IsEmpty)
        {
            return value;
        }

        string[] parts = delimiters.IsEmpty ? value.Split('.') : value.Split(delimiters.ToArray());
        if (reverse)
        {
            Array.Reverse(parts);
        }

        if (keep > 0 && keep < parts.Length)
        {
            parts = parts[^keep..];
        }

        return string.Join('.', parts);
    }

    private static async ValueTask<string> ValueAsync(char letter, SpfContext context, string domain, CancellationToken cancellationToken) => letter switch
    {
        's' => context.Sender,
        'l' => context.SenderLocalPart,
        'o' => context.SenderDomain,
        'd' => domain,
        'i' => DottedAddress(context.Address),
        'p' => await context.ValidatedNameAsync(domain, cancellationToken).ConfigureAwait(false),
        'v' => context.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
        'h' => context.Helo,
        'c' => context.Address.ToString(),
        'r' => context.ReceivingHost,
        't' => context.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>§7.3: <c>i</c> of an IPv6 address is its 32 nibbles separated by dots (upper-case hex, as §7.4's example).</summary>
    private static string DottedAddress(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        byte[] bytes = address.GetAddressBytes();
        var text = new StringBuilder(63);
        foreach (byte b in bytes)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(HexDigit(b >> 4)).Append('.').Append(HexDigit(b & 0xF));
        }

        return text.ToString();
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    /// <summary>toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).</summary>
    private static bool IsTopLabel(ReadOnlySpan<char> label)
    {
        if (label.IsEmpty || label.IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") >= 0)
        {
            return false;
        }

        if (label.IndexOf('-') < 0)
        {
            return label.IndexOfAnyInRange('a', 'z') >= 0 || label.IndexOfAnyInRange('A', 'Z') >= 0;
        }

        return char.IsAsciiLetterOrDigit(label[0]) && char.IsAsciiLetterOrDigit(label[^1]);
    }
}
