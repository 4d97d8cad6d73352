using System.Text;

namespace Mailroom.Logging;

/// <summary>
/// Makes logged text safe to print, once, where every log line is formatted: each control character becomes
/// <c>?</c>, as Postfix's <c>msg_text()</c> censors every message with <c>printable(text, '?')</c>. Client-supplied
/// values (EHLO names, addresses, user names, ID values, remote servers' replies) reach the log inside messages, and
/// an ESC or CSI there would drive the admin's terminal (<c>tail -f</c>, <c>less</c>), a CR or LF would forge a line.
/// </summary>
internal static class LogText
{
    /// <summary>Appends <paramref name="text"/> with every unsafe character replaced by <c>?</c>.</summary>
    public static void AppendSanitized(StringBuilder builder, string text)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(text);
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text, i))
            {
                builder.Append(text, start, i - start).Append('?');
                start = i + 1;
            }
        }

        builder.Append(text, start, text.Length - start);
    }

    /// <summary><paramref name="text"/> with every unsafe character replaced by <c>?</c> (the same string when there is none).</summary>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (int i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text, i))
            {
                var builder = new StringBuilder(text.Length);
                AppendSanitized(builder, text);
                return builder.ToString();
            }
        }

        return text;
    }

    /// <summary>
    /// C0 controls (TAB, CR, LF and ESC included), DEL, C1 controls (CSI is U+009B), the bidirectional embedding,
    /// override and isolate controls that make a line display in another order than it reads (U+202A–U+202E,
    /// U+2066–U+2069), and a surrogate without its pair (not text at all).
    /// </summary>
    private static bool IsUnsafe(string text, int index)
    {
        char c = text[index];
        if (c < ' ' || c is >= '\x7F' and <= '\x9F' or >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
        {
            return true;
        }

        if (char.IsHighSurrogate(c))
        {
            return index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]);
        }

        return char.IsLowSurrogate(c) && (index == 0 || !char.IsHighSurrogate(text[index - 1]));
    }
}
