using System.Text;

namespace Mailroom.Net.Trace;

/// <summary>Helpers for a protocol's <c>TraceSecretStart</c>: where, in a command line, the secret part begins.</summary>
public static class TraceRedaction
{
    /// <summary>
    /// The offset just past the first <paramref name="words"/> space-separated words and the space after them (where
    /// <c>PASS</c>'s password or <c>AUTH PLAIN</c>'s initial response begins), or -1 when nothing follows them.
    /// </summary>
    public static int AfterWords(ReadOnlySpan<byte> line, int words)
    {
        int position = 0;
        for (int i = 0; i < words; i++)
        {
            int space = line[position..].IndexOf((byte)' ');
            if (space < 0)
            {
                return -1;
            }

            position += space + 1;
        }

        return position < line.Length ? position : -1;
    }

    /// <summary>Whether the word at <paramref name="index"/> (0-based, space-separated) is <paramref name="word"/>, without case.</summary>
    public static bool WordIs(ReadOnlySpan<byte> line, int index, string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        int start = index == 0 ? 0 : AfterWords(line, index);
        if (start < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = line[start..];
        int end = rest.IndexOf((byte)' ');
        ReadOnlySpan<byte> found = end < 0 ? rest : rest[..end];
        return Ascii.EqualsIgnoreCase(found, Encoding.ASCII.GetBytes(word));
    }
}
