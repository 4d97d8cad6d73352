using Mailroom.Core;

namespace Mailroom.Smtp.Protocol;

/// <summary>
/// Parses the argument of MAIL and RCPT: <c>FROM:&lt;path&gt; params</c> / <c>TO:&lt;path&gt; params</c>.
/// Tolerates the common space after the colon (<c>MAIL FROM: &lt;a@b&gt;</c>) and a path without angle
/// brackets, as Postfix does with <c>strict_rfc821_envelopes = no</c>.
/// </summary>
internal static class PathParser
{
    /// <summary>
    /// Splits <c>PREFIX:&lt;path&gt; params</c>. <paramref name="path"/> is the content between the brackets with any
    /// source route removed (RFC 5321 §4.1.1.3: "servers MUST be prepared to encounter a list of source routes
    /// in the forward-path, but they SHOULD ignore the routes"; Appendix C).
    /// </summary>
    public static bool TrySplit(string argument, string prefix, out string path, out string parameters)
    {
        path = "";
        parameters = "";
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ReadOnlySpan<char> rest = argument.AsSpan(prefix.Length).TrimStart(' ');
        int end;
        if (rest.Length > 0 && rest[0] == '<')
        {
            end = FindClosingBracket(rest);
            if (end < 0)
            {
                return false;
            }

            path = rest[1..end].ToString();
            end++;
        }
        else
        {
            end = rest.IndexOf(' ');
            if (end < 0)
            {
                end = rest.Length;
            }

            path = rest[..end].ToString();
            if (path.Length == 0)
            {
                return false;
            }
        }

        if (end < rest.Length && rest[end] != ' ')
        {
            return false;
        }

        parameters = rest[end..].Trim(' ').ToString();
        if (path.StartsWith('@'))
        {
            int colon = path.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            path = path[(colon + 1)..];
        }

        return true;
    }

    public static bool IsAscii(string text)
    {
        foreach (char c in text)
        {
            if (c > 127)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits <c>KEY=VALUE KEY2</c> into pairs (RFC 5321 §4.1.2 esmtp-param); keys upper-cased.</summary>
    public static IEnumerable<(string Key, string? Value, string Raw)> SplitParameters(string parameters)
    {
        foreach (string raw in parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = raw.IndexOf('=', StringComparison.Ordinal);
            yield return equals < 0
                ? (raw.ToUpperInvariant(), null, raw)
                : (raw[..equals].ToUpperInvariant(), raw[(equals + 1)..], raw);
        }
    }

    private static int FindClosingBracket(ReadOnlySpan<char> text)
    {
        // A quoted local part may contain '>' (RFC 5321 §4.1.2 Quoted-string), so honour quotes and escapes.
        bool quoted = false;
        for (int i = 1; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '>' && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Validates a mailbox; the caller decides the reply.</summary>
    public static bool IsValidMailbox(string path) => EmailAddress.TryParse(path, out _);
}
