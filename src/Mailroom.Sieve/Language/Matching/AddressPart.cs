namespace Mailroom.Sieve.Language.Matching;

/// <summary>Which part of an address a test compares (RFC 5228 §2.7.4, RFC 5233 §4).</summary>
internal enum AddressPart
{
    All,
    LocalPart,
    Domain,
    User,
    Detail,
}

internal static class AddressParts
{
    public static bool TryParse(string tag, out AddressPart part)
    {
        switch (tag)
        {
            case "all": part = AddressPart.All; return true;
            case "localpart": part = AddressPart.LocalPart; return true;
            case "domain": part = AddressPart.Domain; return true;
            case "user": part = AddressPart.User; return true;
            case "detail": part = AddressPart.Detail; return true;
            default: part = default; return false;
        }
    }

    /// <summary>
    /// The part of <c>local@domain</c> to compare, or null when there is none: an address without a detail has no
    /// <c>:detail</c> and so matches no key (RFC 5233 §4). The detail follows the first of the delimiter characters
    /// (as Postfix's <c>recipient_delimiter</c> splits).
    /// </summary>
    public static string? Extract(AddressPart part, string localPart, string domain, string delimiters)
    {
        switch (part)
        {
            case AddressPart.LocalPart:
                return localPart;
            case AddressPart.Domain:
                return domain;
            case AddressPart.User:
            case AddressPart.Detail:
                int at = delimiters.Length == 0 ? -1 : localPart.IndexOfAny(delimiters.ToCharArray());
                if (part == AddressPart.User)
                {
                    return at < 0 ? localPart : localPart[..at];
                }

                return at < 0 ? null : localPart[(at + 1)..];
            default:
                return domain.Length == 0 ? localPart : localPart + "@" + domain;
        }
    }
}
