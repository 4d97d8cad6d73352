namespace Mailroom.Sieve.Language.Matching;

/// <summary>The comparators (RFC 4790 collations) a script may name with <c>:comparator</c>.</summary>
internal enum ComparatorKind
{
    /// <summary><c>i;octet</c>: exact, by octet (code point) order.</summary>
    Octet,

    /// <summary><c>i;ascii-casemap</c> (the default, RFC 5228 §2.7.3): a-z folded to A-Z, then octets.</summary>
    AsciiCasemap,

    /// <summary><c>i;ascii-numeric</c>: the number the leading digits spell; no digits is positive infinity.</summary>
    AsciiNumeric,
}
