using System.Globalization;
using System.Runtime.InteropServices;

namespace Mailroom.Store.Maildir;

/// <summary>
/// Reading Maildir file names: <c>&lt;base&gt;[:2,&lt;letters&gt;]</c>
/// (https://cr.yp.to/proto/maildir.html). The base, <c>&lt;secs&gt;.M&lt;usecs&gt;P&lt;pid&gt;Q&lt;n&gt;.&lt;host&gt;</c> in
/// the qmail/Dovecot style plus Dovecot's <c>,S=&lt;file size&gt;</c> and <c>,W=&lt;size with CRLF line ends&gt;</c>
/// fields, stays the same while the message moves from new/ to cur/ and its flag letters change.
/// </summary>
internal static class MaildirFileName
{
    internal const string InfoSeparator = ":2,";

    /// <summary>The name without its info suffix (everything from the first <c>:</c>).</summary>
    public static string BaseName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        int colon = fileName.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? fileName : fileName[..colon];
    }

    /// <summary>The flag letters after <c>:2,</c> (empty when none).</summary>
    public static string InfoLetters(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        int info = fileName.IndexOf(InfoSeparator, StringComparison.Ordinal);
        return info < 0 ? "" : fileName[(info + InfoSeparator.Length)..];
    }

    /// <summary>The name in cur/: <c>&lt;base&gt;:2,&lt;letters&gt;</c>.</summary>
    public static string CurName(string baseName, string letters) => baseName + InfoSeparator + letters;

    /// <summary><paramref name="letters"/> with <paramref name="letter"/> added, in ASCII order as the Maildir specification asks.</summary>
    public static string WithLetter(string letters, char letter)
    {
        ArgumentNullException.ThrowIfNull(letters);
        return letters.Contains(letter, StringComparison.Ordinal) ? letters : string.Concat(new SortedSet<char>(letters) { letter });
    }

    /// <summary>
    /// The number in Dovecot's <c>,S=</c> (<paramref name="field"/> <c>'S'</c>: the file's size) or <c>,W=</c>
    /// (<c>'W'</c>: the size with CRLF line ends, as POP3 and IMAP count it) field of the base, or -1 when absent.
    /// </summary>
    public static long SizeField(ReadOnlySpan<char> fileName, char field)
    {
        int colon = fileName.IndexOf(':');
        ReadOnlySpan<char> name = colon < 0 ? fileName : fileName[..colon];
        ReadOnlySpan<char> marker = [',', field, '='];
        int at = name.LastIndexOf(marker);
        if (at < 0)
        {
            return -1;
        }

        ReadOnlySpan<char> digits = name[(at + marker.Length)..];
        int end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end]))
        {
            end++;
        }

        return end is > 0 and < 19 ? long.Parse(digits[..end], NumberStyles.None, CultureInfo.InvariantCulture) : -1;
    }

    /// <summary>A name is a message when it is not a dot file and fits on one line (of the IMAP uidlist).</summary>
    public static bool IsMessageName(string fileName) =>
        !string.IsNullOrEmpty(fileName) && fileName[0] != '.' && fileName.IndexOfAny(['\n', '\r']) < 0;

    /// <summary>
    /// Sorts <paramref name="items"/> in delivery order of their base names (see <see cref="MaildirDeliveryOrder"/>), reading each name once (a comparison
    /// sort of 10,000 names would otherwise parse them some 250,000 times).
    /// </summary>
    public static void SortByDeliveryOrder<T>(List<T> items, Func<T, string> baseNameOf)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(baseNameOf);
        var keys = new MaildirDeliveryOrder[items.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = MaildirDeliveryOrder.Of(baseNameOf(items[i]));
        }

        keys.AsSpan().Sort(CollectionsMarshal.AsSpan(items));
    }
}
