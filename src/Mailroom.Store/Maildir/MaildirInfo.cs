using System.Text;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>
/// The info part of Maildir file names, <c>&lt;base&gt;:2,&lt;letters&gt;</c> (https://cr.yp.to/proto/maildir.html):
/// D F R S T are \Draft \Flagged \Answered \Seen \Deleted, in ASCII order. Letters we do not know (P for passed,
/// Dovecot's lower-case keyword letters) are kept as they are when we rename. The names themselves are read by
/// <see cref="MaildirFileName"/>.
/// </summary>
internal static class MaildirInfo
{
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
        if (!rest.StartsWith(baseName, StringComparison.Ordinal) || !rest[baseName.Length..].StartsWith(MaildirFileName.InfoSeparator, StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[(baseName.Length + MaildirFileName.InfoSeparator.Length)..];
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
}
