using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Pop3.Maildir;

/// <summary>
/// Reading Maildir file names (<c>&lt;secs&gt;.M&lt;usecs&gt;P&lt;pid&gt;Q&lt;n&gt;.&lt;host&gt;,S=&lt;size&gt;[:2,FLAGS]</c>,
/// https://cr.yp.to/proto/maildir.html): the unique base, the flags, the delivery order and the POP3 unique id.
/// </summary>
internal static class MaildirFileName
{
    private const string InfoSeparator = ":2,";

    // RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E.
    private const int MaxUidLength = 70;

    /// <summary>The name without its info suffix (<c>:2,FLAGS</c>): constant while the message moves between new/ and cur/.</summary>
    public static string BaseName(string fileName)
    {
        int colon = fileName.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? fileName : fileName[..colon];
    }

    /// <summary>The flag letters after <c>:2,</c> (empty when none).</summary>
    public static string Flags(string fileName)
    {
        int info = fileName.IndexOf(InfoSeparator, StringComparison.Ordinal);
        return info < 0 ? "" : fileName[(info + InfoSeparator.Length)..];
    }

    /// <summary>The name in cur/ with <paramref name="flag"/> added; flags stay in ASCII order as the Maildir spec asks.</summary>
    public static string WithFlag(string baseName, string flags, char flag)
    {
        var set = new SortedSet<char>(flags) { flag };
        return baseName + InfoSeparator + string.Concat(set);
    }

    /// <summary>
    /// The POP3 unique id: the base name, unique by construction and unchanged by flag changes, as Dovecot's
    /// <c>%f</c>-style UIDLs. A base name that is too long or has characters RFC 1939 §7 forbids (a long or
    /// odd host name) is replaced by a stable hash of it; the <c>X</c> prefix cannot start a real name.
    /// </summary>
    public static string UniqueId(string baseName)
    {
        bool valid = baseName.Length is > 0 and <= MaxUidLength;
        foreach (char c in baseName)
        {
            valid &= c is >= '!' and <= '~';
        }

        return valid ? baseName : "X" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(baseName)))[..40];
    }

    /// <summary>Delivery order: seconds, then microseconds, then the per-process counter, then the whole name.</summary>
    public static int CompareDeliveryOrder(string left, string right)
    {
        int result = Number(left, 0, '.').CompareTo(Number(right, 0, '.'));
        if (result == 0)
        {
            result = Field(left, ".M").CompareTo(Field(right, ".M"));
        }

        if (result == 0)
        {
            result = Field(left, "Q").CompareTo(Field(right, "Q"));
        }

        return result != 0 ? result : string.CompareOrdinal(left, right);
    }

    private static long Field(string name, string marker)
    {
        int at = name.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? -1 : Number(name, at + marker.Length, '\0');
    }

    // Leading decimal digits from start; names that do not follow the convention sort first, by name.
    private static long Number(string name, int start, char terminator)
    {
        int end = start;
        while (end < name.Length && char.IsAsciiDigit(name[end]) && end - start < 18)
        {
            end++;
        }

        if (end == start || (terminator != '\0' && end < name.Length && name[end] != terminator))
        {
            return -1;
        }

        return long.Parse(name.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
