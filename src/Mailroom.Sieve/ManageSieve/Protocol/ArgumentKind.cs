namespace Mailroom.Sieve.ManageSieve.Protocol;

/// <summary>The data types of RFC 5804 §1.2: atoms (command names), numbers and strings (quoted or literal).</summary>
internal enum ArgumentKind
{
    Atom,
    Number,
    String,
}
