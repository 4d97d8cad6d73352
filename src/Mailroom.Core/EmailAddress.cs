namespace Mailroom.Core;

/// <summary>
/// An envelope address <c>local@domain</c> (RFC 5321 §4.1.2 Mailbox). The domain is kept lower-case; the
/// local part is kept as given (RFC 5321 §2.4: only the destination host may interpret its case), while
/// <see cref="Key"/> folds it for directory lookups, as postfixadmin databases store addresses lower-case.
/// </summary>
public sealed record EmailAddress
{
    private EmailAddress(string localPart, string domain)
    {
        LocalPart = localPart;
        Domain = domain;
    }

    public string LocalPart { get; }

    public string Domain { get; }

    /// <summary>Lower-case <c>local@domain</c>, the form used as a directory key.</summary>
    public string Key => string.Concat(LocalPart.ToLowerInvariant(), "@", Domain);

    public override string ToString() => string.Concat(LocalPart, "@", Domain);

    /// <summary>
    /// Parses <c>local@domain</c>. The local part may be a quoted string; the domain may be an address
    /// literal (<c>[192.0.2.1]</c>). UTF-8 is accepted (RFC 6531), control characters and spaces outside
    /// quotes are not.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out EmailAddress? address)
    {
        address = null;
        if (text.IsEmpty || text.Length > 320)
        {
            return false;
        }

        int at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            return false;
        }

        ReadOnlySpan<char> local = text[..at];
        ReadOnlySpan<char> domain = text[(at + 1)..];
        if (!IsValidLocalPart(local) || !IsValidDomain(domain))
        {
            return false;
        }

        address = new EmailAddress(local.ToString(), domain.ToString().ToLowerInvariant());
        return true;
    }

    public static EmailAddress Parse(string text) =>
        TryParse(text, out EmailAddress? address) ? address! : throw new FormatException($"'{text}' is not an address of the form local@domain.");

    /// <summary>True when the domain part is a syntactically valid host name or address literal.</summary>
    public static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        if (domain.IsEmpty || domain.Length > 255)
        {
            return false;
        }

        if (domain[0] == '[')
        {
            return domain[^1] == ']' && domain.Length > 2 && !domain[1..^1].ContainsAny(" []\\");
        }

        foreach (Range range in domain.Split('.'))
        {
            ReadOnlySpan<char> label = domain[range];
            if (label.IsEmpty || label.Length > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c > 127))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsValidLocalPart(ReadOnlySpan<char> local)
    {
        if (local.Length > 64 * 4)
        {
            return false;
        }

        if (local.Length >= 2 && local[0] == '"' && local[^1] == '"')
        {
            // RFC 5321 §4.1.2 Quoted-string: qtextSMTP (printable except '"' and '\', plus UTF-8 per RFC 6531 §3.3)
            // or a quoted-pair, '\' and a printable character. An unescaped '"' inside (""@x""@example.org) is not one
            // quoted string, and MimeKit, which the bounce path parses the sender with, refuses it (found by fuzzing).
            ReadOnlySpan<char> content = local[1..^1];
            for (int i = 0; i < content.Length; i++)
            {
                char c = content[i];
                if (c < 32 || c == 127 || c == '"')
                {
                    return false;
                }

                if (c == '\\' && (++i == content.Length || content[i] < 32 || content[i] == 127))
                {
                    return false;
                }
            }

            return true;
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in local)
        {
            // RFC 5322 §3.2.3 atext, plus UTF-8 (RFC 6531 §3.3).
            bool ok = char.IsAsciiLetterOrDigit(c) || c > 127 || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
