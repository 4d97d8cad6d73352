using System.Globalization;
using System.Text;

namespace Mailroom.Store.Mailboxes;

/// <summary>
/// Folder names ↔ Maildir++ directories (Courier/Dovecot layout): INBOX is the user's Maildir itself, folder
/// <c>A/B</c> is <c>&lt;maildir&gt;/.A.B/</c>. Each level is percent-encoded (<c>.</c>, <c>%</c>, <c>/</c>, control
/// characters) so no name can produce another level, a dot-dot path or a separator: the directory is always one
/// entry directly under the user's Maildir. Every store applies these rules (the encoded length limit included), so a
/// name one store takes, every store takes.
/// </summary>
internal static class FolderNames
{
    public const string Inbox = "INBOX";
    public const char Delimiter = '/';

    // NAME_MAX of Linux file systems, in bytes of the encoded directory name.
    private const int MaxDirectoryNameBytes = 255;

    /// <summary>Validates and canonicalises a name (INBOX upper-cased in any case, also as the first level).</summary>
    public static bool TryCanonicalize(string? name, out string canonical)
    {
        canonical = "";
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        string[] levels = name.Split(Delimiter);
        foreach (string level in levels)
        {
            if (level.Length == 0 || !IsWellFormedUtf16(level))
            {
                return false;
            }
        }

        if (string.Equals(levels[0], Inbox, StringComparison.OrdinalIgnoreCase))
        {
            levels[0] = Inbox;
        }

        canonical = string.Join(Delimiter, levels);
        return (levels.Length == 1 && canonical == Inbox) || Encoding.UTF8.GetByteCount(ToDirectoryName(canonical)) <= MaxDirectoryNameBytes;
    }

    public static bool IsInbox(string canonical) => canonical == Inbox;

    /// <summary>The directory of a canonical name below the user's Maildir (INBOX: the Maildir itself).</summary>
    public static string GetPath(string maildir, string canonical) =>
        IsInbox(canonical) ? maildir : Path.Combine(maildir, ToDirectoryName(canonical));

    /// <summary><c>A/B</c> → <c>.A.B</c>.</summary>
    public static string ToDirectoryName(string canonical)
    {
        var builder = new StringBuilder(canonical.Length + 8);
        foreach (string level in canonical.Split(Delimiter))
        {
            builder.Append('.');
            foreach (char c in level)
            {
                if (c is '.' or '%' or '/' or '\\' or < ' ' or '\u007f')
                {
                    builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>The folder a directory entry stands for; false for entries that are not our encoding of a name.</summary>
    public static bool TryFromDirectoryName(string directoryName, out string canonical)
    {
        canonical = "";
        if (directoryName.Length < 2 || directoryName[0] != '.' || directoryName == "..")
        {
            return false;
        }

        var levels = new List<string>();
        foreach (string encoded in directoryName[1..].Split('.'))
        {
            if (!TryDecodeLevel(encoded, out string level))
            {
                return false;
            }

            levels.Add(level);
        }

        string name = string.Join(Delimiter, levels);

        // Only names that encode back to the same entry: anything else (another tool's encoding) is not ours.
        if (!TryCanonicalize(name, out canonical) || IsInbox(canonical) || ToDirectoryName(canonical) != directoryName)
        {
            canonical = "";
            return false;
        }

        return true;
    }

    /// <summary>Whether <paramref name="name"/> is <paramref name="ancestor"/> or lies below it.</summary>
    public static bool IsSelfOrDescendant(string name, string ancestor) =>
        name == ancestor || (name.Length > ancestor.Length && name[ancestor.Length] == Delimiter && name.StartsWith(ancestor, StringComparison.Ordinal));

    /// <summary>The parents of a name, outermost first (<c>A/B/C</c> → <c>A</c>, <c>A/B</c>).</summary>
    public static IEnumerable<string> Parents(string canonical)
    {
        for (int at = canonical.IndexOf(Delimiter, StringComparison.Ordinal); at > 0; at = canonical.IndexOf(Delimiter, at + 1))
        {
            yield return canonical[..at];
        }
    }

    private static bool TryDecodeLevel(string encoded, out string level)
    {
        level = "";
        if (encoded.Length == 0)
        {
            return false;
        }

        var builder = new StringBuilder(encoded.Length);
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c != '%')
            {
                builder.Append(c);
                continue;
            }

            if (i + 2 >= encoded.Length
                || !int.TryParse(encoded.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value))
            {
                return false;
            }

            builder.Append((char)value);
            i += 2;
        }

        level = builder.ToString();
        return true;
    }

    private static bool IsWellFormedUtf16(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
