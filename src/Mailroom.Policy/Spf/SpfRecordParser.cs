using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mailroom.Policy.Spf;

/// <summary>
/// Parses a record by the ABNF of RFC 7208 §12. Any syntax error anywhere makes the whole record a
/// <c>permerror</c> before anything is evaluated (§4.6); unknown modifiers are ignored (§6), unknown mechanisms are not.
/// Linear in the record's length.
/// </summary>
internal static class SpfRecordParser
{
    /// <summary>True for the records of §4.5: <c>v=spf1</c> alone or followed by a space (case-insensitive).</summary>
    public static bool IsSpfRecord(string text) =>
        text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    public static bool TryParse(string text, out SpfRecord? record, out string? error)
    {
        record = null;
        var terms = new List<SpfTerm>();
        string? redirect = null;
        string? explanation = null;
        foreach (string term in text[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = term.IndexOf('=', StringComparison.Ordinal);
            int colon = term.IndexOfAny([':', '/']);
            if (eq > 0 && (colon < 0 || eq < colon) && IsName(term.AsSpan(0, eq)))
            {
                // A modifier (§6): name "=" macro-string.
                string name = term[..eq].ToLowerInvariant();
                string value = term[(eq + 1)..];
                switch (name)
                {
                    case "redirect":
                        if (redirect is not null || !SpfMacro.IsValidDomainSpec(value))
                        {
                            error = $"invalid or repeated modifier '{term}'";
                            return false;
                        }

                        redirect = value;
                        break;
                    case "exp":
                        if (explanation is not null || !SpfMacro.IsValidDomainSpec(value))
                        {
                            error = $"invalid or repeated modifier '{term}'";
                            return false;
                        }

                        explanation = value;
                        break;
                    default:
                        if (!SpfMacro.IsValidMacroString(value, explanation: false))
                        {
                            error = $"invalid modifier '{term}'";
                            return false;
                        }

                        break;
                }

                continue;
            }

            if (ParseDirective(term) is not { } directive)
            {
                error = $"unknown or invalid mechanism '{term}'";
                return false;
            }

            terms.Add(directive);
        }

        record = new SpfRecord(terms, redirect, explanation);
        error = null;
        return true;
    }

    private static SpfTerm? ParseDirective(string term)
    {
        char qualifier = '+';
        string body = term;
        if (term[0] is '+' or '-' or '~' or '?')
        {
            qualifier = term[0];
            body = term[1..];
        }

        int end = 0;
        while (end < body.Length && char.IsAsciiLetterOrDigit(body[end]))
        {
            end++;
        }

        string name = body[..end].ToLowerInvariant();
        string rest = body[end..];
        switch (name)
        {
            case "all":
                return rest.Length == 0 ? new SpfTerm(qualifier, SpfMechanismKind.All, term) : null;
            case "include":
            case "exists":
                return rest.Length > 1 && rest[0] == ':' && SpfMacro.IsValidDomainSpec(rest[1..])
                    ? new SpfTerm(qualifier, name == "include" ? SpfMechanismKind.Include : SpfMechanismKind.Exists, term) { DomainSpec = rest[1..] }
                    : null;
            case "a":
            case "mx":
                return ParseDomainWithCidr(qualifier, name == "a" ? SpfMechanismKind.A : SpfMechanismKind.Mx, term, rest);
            case "ptr":
                if (rest.Length == 0)
                {
                    return new SpfTerm(qualifier, SpfMechanismKind.Ptr, term);
                }

                return rest.Length > 1 && rest[0] == ':' && SpfMacro.IsValidDomainSpec(rest[1..])
                    ? new SpfTerm(qualifier, SpfMechanismKind.Ptr, term) { DomainSpec = rest[1..] }
                    : null;
            case "ip4":
                return ParseNetwork(qualifier, SpfMechanismKind.Ip4, term, rest, AddressFamily.InterNetwork, 32);
            case "ip6":
                return ParseNetwork(qualifier, SpfMechanismKind.Ip6, term, rest, AddressFamily.InterNetworkV6, 128);
            default:
                return null;
        }
    }

    private static SpfTerm? ParseDomainWithCidr(char qualifier, SpfMechanismKind kind, string term, string rest)
    {
        // dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ], taken from the end: a domain-spec may itself
        // hold ':' and '/' (macro-literal), so only a trailing "/digits" or "//digits" is a length.
        int ip4 = 32;
        int ip6 = 128;
        if (TrailingLength(ref rest, "//") is { } v6)
        {
            if (!TryPrefix(v6, 128, out ip6))
            {
                return null;
            }
        }

        if (TrailingLength(ref rest, "/") is { } v4)
        {
            if (!TryPrefix(v4, 32, out ip4))
            {
                return null;
            }
        }

        string? domain = null;
        if (rest.Length > 0)
        {
            if (rest[0] != ':' || rest.Length == 1 || !SpfMacro.IsValidDomainSpec(rest[1..]))
            {
                return null;
            }

            domain = rest[1..];
        }

        return new SpfTerm(qualifier, kind, term) { DomainSpec = domain, Ip4Prefix = ip4, Ip6Prefix = ip6 };
    }

    /// <summary>Removes and returns a trailing <paramref name="separator"/> followed by digits, if there is one.</summary>
    private static string? TrailingLength(ref string text, string separator)
    {
        int end = text.Length;
        int start = end;
        while (start > 0 && char.IsAsciiDigit(text[start - 1]))
        {
            start--;
        }

        if (start == end || start < separator.Length || !text.AsSpan(0, start).EndsWith(separator, StringComparison.Ordinal))
        {
            return null;
        }

        // "a//64" must not read its "/64" as an ip4 length once "//64" was taken; nor "a:x//64" as "/" + "/64".
        if (separator == "/" && start >= 2 && text[start - 2] == '/')
        {
            return null;
        }

        string digits = text[start..end];
        text = text[..(start - separator.Length)];
        return digits;
    }

    private static SpfTerm? ParseNetwork(char qualifier, SpfMechanismKind kind, string term, string rest, AddressFamily family, int maxPrefix)
    {
        if (rest.Length < 2 || rest[0] != ':')
        {
            return null;
        }

        string network = rest[1..];
        int prefix = maxPrefix;
        int slash = network.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!TryPrefix(network[(slash + 1)..], maxPrefix, out prefix))
            {
                return null;
            }

            network = network[..slash];
        }

        // ip4-network is dotted-quad only (no "1.2.3" shorthand); ip6-network is RFC 4291 text.
        if (!IPAddress.TryParse(network, out IPAddress? address) || address.AddressFamily != family
            || (family == AddressFamily.InterNetwork && network.Count(c => c == '.') != 3)
            || (family == AddressFamily.InterNetworkV6 && network.Contains('%', StringComparison.Ordinal)))
        {
            return null;
        }

        return kind == SpfMechanismKind.Ip4
            ? new SpfTerm(qualifier, kind, term) { Network = address, Ip4Prefix = prefix }
            : new SpfTerm(qualifier, kind, term) { Network = address, Ip6Prefix = prefix };
    }

    /// <summary>A CIDR length: decimal without leading zeros, at most <paramref name="max"/> (§5.6).</summary>
    private static bool TryPrefix(string text, int max, out int prefix)
    {
        prefix = 0;
        if (text.Length == 0 || text.Length > 3 || (text.Length > 1 && text[0] == '0') || text.AsSpan().IndexOfAnyExcept("0123456789") >= 0)
        {
            return false;
        }

        prefix = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return prefix <= max;
    }

    /// <summary>name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).</summary>
    private static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
