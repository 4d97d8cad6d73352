using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// RFC 8474 object identifiers (MAILBOXID, EMAILID): <c>objectid = 1*255(ALPHA / DIGIT / "_" / "-")</c> (§7), made
/// of a letter that says what the id names and 24 lower-case hex digits. They reveal nothing of the object (§9): new
/// ones are random, derived ones are a hash.
/// </summary>
public static class ObjectIds
{
    /// <summary>The longest object id RFC 8474 §7 allows.</summary>
    public const int MaxLength = 255;

    private const int HexDigits = 24;

    /// <summary>A new random id, <paramref name="prefix"/> followed by 96 random bits in hex.</summary>
    public static string New(char prefix) =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HexDigits / 2));

    /// <summary>The id of something named <paramref name="name"/> uniquely and for ever (a Maildir base name).</summary>
    public static string Derived(char prefix, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HexDigits];
    }

    /// <summary>Whether <paramref name="value"/> is an objectid (RFC 8474 §7): what SEARCH EMAILID takes.</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
