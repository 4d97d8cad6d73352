using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Pop3.Maildir;

/// <summary>
/// The POP3 unique id of a message (RFC 1939 §7, UIDL): its name in the store (the Maildir base name), unique and
/// unchanged by flag changes, as Dovecot's <c>%f</c>-style UIDLs.
/// </summary>
internal static class Pop3UniqueId
{
    // RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E.
    private const int MaxLength = 70;

    /// <summary>
    /// The base name itself, or, when it is too long or has characters RFC 1939 §7 forbids (a long or odd host name),
    /// a stable hash of it; the <c>X</c> prefix cannot start a real name.
    /// </summary>
    public static string Of(string baseName)
    {
        bool valid = baseName.Length is > 0 and <= MaxLength;
        foreach (char c in baseName)
        {
            valid &= c is >= '!' and <= '~';
        }

        return valid ? baseName : "X" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(baseName)))[..40];
    }
}
