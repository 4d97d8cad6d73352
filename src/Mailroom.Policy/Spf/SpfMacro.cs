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
    /// <summary>
    /// The longest explanation kept: it goes into the SMTP reply, whose lines hold at most 512 octets (RFC 5321
    /// §4.5.3.1.5). A published <c>exp=</c> text of a few kilobytes, each <c>%{s}</c> in it standing for the sender,
    /// would otherwise expand to megabytes.
    /// </summary>
    public const int MaxExplanationLength = 400;

    /// <summary>The longest domain name (RFC 7208 §7.3, RFC 1035 §2.3.4's 255 octets less the root).</summary>
    private const int MaxDomainLength = 253;

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

    /// <summary>
    /// Expands <paramref name="text"/>; a domain-spec result longer than 253 octets loses labels on the left (§7.3), an
    /// explanation is cut at <see cref="MaxExplanationLength"/> characters.
    /// </summary>
    public static async ValueTask<string> ExpandAsync(string text, SpfContext context, string domain, bool explanation, CancellationToken cancellationToken)
    {
        var result = new StringBuilder(text.Length + 32);
        for (int i = 0; i < text.Length; i++)
        {
            if (explanation && result.Length >= MaxExplanationLength)
            {
                break;
            }

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

        if (explanation)
        {
            if (result.Length <= MaxExplanationLength)
            {
                return result.ToString();
            }

            // Not between the halves of a surrogate pair.
            return result.ToString(0, char.IsHighSurrogate(result[MaxExplanationLength - 1]) ? MaxExplanationLength - 1 : MaxExplanationLength);
        }

        return DropLeftLabels(result.ToString());
    }

    /// <summary>
    /// Removes whole labels on the left until at most <see cref="MaxDomainLength"/> octets are left or no label boundary
    /// is. One cut, found in one pass: dropping one label at a time copied the rest each time, which for the
    /// megabytes a record of many <c>%{s}</c> and a dotted sender expand to took hours.
    /// </summary>
    internal static string DropLeftLabels(string expanded)
    {
        if (expanded.Length <= MaxDomainLength)
        {
            return expanded;
        }

        // The first dot that leaves at most 253 octets after it; without one, every label but the last goes.
        int dot = expanded.IndexOf('.', expanded.Length - MaxDomainLength - 1);
        if (dot < 0)
        {
            dot = expanded.LastIndexOf('.');
        }

        return dot < 0 ? expanded : expanded[(dot + 1)..];
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

        if (digits > 0 && expand.Slice(1, digits).IndexOfAnyExcept('0') < 0)
        {
            // §7.3: the DIGIT transformer must be non-zero. Not parsed: a published record may hold more digits than
            // an int (the expansion keeps at most 1000 labels anyway).
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
