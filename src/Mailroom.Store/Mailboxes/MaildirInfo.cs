using System.Globalization;
using System.Text;

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The info part of Maildir file names, <c>&lt;base&gt;:2,&lt;letters&gt;</c> (https://cr.yp.to/proto/maildir.html):
/// D F R S T are \Draft \Flagged \Answered \Seen \Deleted, in ASCII order. Letters we do not know (P for passed,
/// Dovecot's lower-case keyword letters) are kept as they are when we rename. Same reading as the POP3 server's
/// <c>MaildirFileName</c>: the base name (constant across renames) is the name up to the first <c>:</c>.
/// </summary>
internal static class MaildirInfo
{
    private const string InfoSeparator = ":2,";

    public static string BaseName(string fileName)
    {
        int colon = fileName.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? fileName : fileName[..colon];
    }

    public static string Letters(string fileName)
    {
        int info = fileName.IndexOf(InfoSeparator, StringComparison.Ordinal);
        return info < 0 ? "" : fileName[(info + InfoSeparator.Length)..];
    }

    public static MessageFlags ToFlags(string letters)
    {
        MessageFlags flags = MessageFlags.None;
        foreach (char c in letters)
        {
            flags |= c switch
            {
                'D' => MessageFlags.Draft,
                'F' => MessageFlags.Flagged,
                'R' => MessageFlags.Answered,
                'S' => MessageFlags.Seen,
                'T' => MessageFlags.Deleted,
                _ => MessageFlags.None,
            };
        }

        return flags;
    }

    /// <summary>The letters for <paramref name="flags"/>, keeping the unknown letters of <paramref name="previous"/>.</summary>
    public static string ToLetters(MessageFlags flags, string previous = "")
    {
        var set = new SortedSet<char>();
        foreach (char c in previous)
        {
            if (c is not ('D' or 'F' or 'R' or 'S' or 'T') && c > ' ' && c != '/' && c != ':')
            {
                set.Add(c);
            }
        }

        if (flags.HasFlag(MessageFlags.Draft))
        {
            set.Add('D');
        }

        if (flags.HasFlag(MessageFlags.Flagged))
        {
            set.Add('F');
        }

        if (flags.HasFlag(MessageFlags.Answered))
        {
            set.Add('R');
        }

        if (flags.HasFlag(MessageFlags.Seen))
        {
            set.Add('S');
        }

        if (flags.HasFlag(MessageFlags.Deleted))
        {
            set.Add('T');
        }

        var builder = new StringBuilder(set.Count);
        foreach (char c in set)
        {
            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Whether <paramref name="file"/> (relative to the folder) is exactly <c>cur/&lt;base&gt;:2,&lt;letters&gt;</c>
    /// with the letters of <paramref name="flags"/> in ASCII order and nothing else: the name we would give it, so
    /// the folder need not remember it. Allocates nothing.
    /// </summary>
    public static bool IsCanonicalFile(string file, string baseName, MessageFlags flags)
    {
        ReadOnlySpan<char> rest = file;
        if (!rest.StartsWith("cur/", StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[4..];
        if (!rest.StartsWith(baseName, StringComparison.Ordinal) || !rest[baseName.Length..].StartsWith(InfoSeparator, StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[(baseName.Length + InfoSeparator.Length)..];
        Span<char> expected = stackalloc char[5];
        int length = 0;
        foreach ((MessageFlags flag, char letter) in (ReadOnlySpan<(MessageFlags, char)>)[
            (MessageFlags.Draft, 'D'), (MessageFlags.Flagged, 'F'), (MessageFlags.Answered, 'R'), (MessageFlags.Seen, 'S'), (MessageFlags.Deleted, 'T')])
        {
            if ((flags & flag) != 0)
            {
                expected[length++] = letter;
            }
        }

        return rest.SequenceEqual(expected[..length]);
    }

    /// <summary>The name in cur/: <c>&lt;base&gt;:2,&lt;letters&gt;</c>.</summary>
    public static string CurName(string baseName, string letters) => baseName + InfoSeparator + letters;

    /// <summary>The size from Dovecot's <c>,S=&lt;size&gt;</c> field of the base name, or -1.</summary>
    public static long SizeFromName(string baseName)
    {
        int at = baseName.LastIndexOf(",S=", StringComparison.Ordinal);
        if (at < 0)
        {
            return -1;
        }

        int start = at + 3;
        int end = start;
        while (end < baseName.Length && char.IsAsciiDigit(baseName[end]))
        {
            end++;
        }

        return end > start && end - start < 19
            ? long.Parse(baseName.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture)
            : -1;
    }

    /// <summary>The delivery order of qmail/Dovecot names: seconds, microseconds, counter, then ordinal (as POP3 does).</summary>
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

    /// <summary>A name is a message when it is not a dot file and can be written to the uidlist (one line).</summary>
    public static bool IsMessageName(string fileName) =>
        fileName.Length > 0 && fileName[0] != '.' && fileName.IndexOfAny(['\n', '\r']) < 0;

    private static long Field(string name, string marker)
    {
        int at = name.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? -1 : Number(name, at + marker.Length, '\0');
    }

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
