using System.Text;
using System.Text.RegularExpressions;

namespace Mailroom.Sieve.Language.Matching;

/// <summary>
/// <c>:regex</c> keys: POSIX extended regular expressions (draft-murchison-sieve-regex §3, as Pigeonhole's regcomp
/// reads them, GNU word escapes included) translated to .NET syntax and run by the non-backtracking engine, whose
/// matching time is linear in the input whatever the pattern: a hostile script cannot stall delivery. Constructs that
/// engine cannot run in linear time (back-references) are refused when the script is checked.
/// </summary>
internal static class PosixRegex
{
    // The non-backtracking engine has no match timeout to need; this bounds the pattern it is asked to build.
    private const int MaxPatternLength = 8192;

    /// <summary>Compiles a key; returns null and an error text when it is not a valid (supported) expression.</summary>
    public static Regex? TryCompile(string pattern, ComparatorKind comparator, out string? error)
    {
        error = null;
        if (pattern.Length > MaxPatternLength)
        {
            error = $"regular expression is longer than {MaxPatternLength} characters";
            return null;
        }

        string? translated = Translate(pattern, out error);
        if (translated is null)
        {
            return null;
        }

        RegexOptions options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline;
        if (comparator == ComparatorKind.AsciiCasemap)
        {
            options |= RegexOptions.IgnoreCase;
        }

        try
        {
            return new Regex(translated, options);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            error = ex.Message;
            return null;
        }
    }

    private static string? Translate(string pattern, out string? error)
    {
        error = null;
        var output = new StringBuilder(pattern.Length + 8);
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 >= pattern.Length)
                    {
                        error = "trailing backslash";
                        return null;
                    }

                    char next = pattern[i + 1];
                    if (char.IsAsciiDigit(next))
                    {
                        error = "back-references are not supported";
                        return null;
                    }

                    output.Append(next switch
                    {
                        'w' or 'W' or 's' or 'S' or 'b' or 'B' => "\\" + next,
                        '<' or '>' => "\\b",
                        '`' => "\\A",
                        '\'' => "\\z",
                        _ => Regex.Escape(next.ToString()),
                    });
                    i += 2;
                    break;
                case '[':
                    int end = TranslateBracket(pattern, i, output, out error);
                    if (end < 0)
                    {
                        return null;
                    }

                    i = end;
                    break;
                case '(':
                    if (i + 1 < pattern.Length && pattern[i + 1] == '?')
                    {
                        error = "invalid preceding regular expression";
                        return null;
                    }

                    output.Append('(');
                    i++;
                    break;
                case '$':
                    // POSIX without REG_NEWLINE: the end of the string only (.NET's '$' also matches before a final LF).
                    output.Append("\\z");
                    i++;
                    break;
                default:
                    output.Append(c);
                    i++;
                    break;
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// A POSIX bracket expression from <paramref name="start"/> ('['): a leading ']' is literal, a backslash is literal,
    /// <c>[:class:]</c> names a class. Returns the index after its closing ']' or -1.
    /// </summary>
    private static int TranslateBracket(string pattern, int start, StringBuilder output, out string? error)
    {
        error = null;
        int i = start + 1;
        var body = new StringBuilder();
        if (i < pattern.Length && pattern[i] == '^')
        {
            body.Append('^');
            i++;
        }

        bool first = true;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (c == ']' && !first)
            {
                output.Append('[').Append(body).Append(']');
                return i + 1;
            }

            first = false;
            if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] is ':' or '=' or '.')
            {
                char kind = pattern[i + 1];
                int close = pattern.IndexOf(kind + "]", i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    error = "unterminated character class";
                    return -1;
                }

                string name = pattern[(i + 2)..close];
                if (kind != ':')
                {
                    body.Append(Regex.Escape(name).Replace("]", "\\]", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal));
                }
                else if (ClassOf(name) is { } cls)
                {
                    body.Append(cls);
                }
                else
                {
                    error = $"invalid character class '{name}'";
                    return -1;
                }

                i = close + 2;
                continue;
            }

            body.Append(c switch
            {
                '\\' => "\\\\",
                '[' => "\\[",
                '^' => "\\^",
                _ => c.ToString(),
            });
            i++;
        }

        error = "unmatched [ or [^";
        return -1;
    }

    private static string? ClassOf(string name) => name switch
    {
        "alpha" => "a-zA-Z",
        "digit" => "0-9",
        "alnum" => "a-zA-Z0-9",
        "upper" => "A-Z",
        "lower" => "a-z",
        "space" => " \\t\\n\\r\\f\\v",
        "blank" => " \\t",
        "punct" => "!-/:-@\\[-`{-~",
        "print" => " -~",
        "graph" => "!-~",
        "cntrl" => "\\x00-\\x1f\\x7f",
        "xdigit" => "0-9A-Fa-f",
        _ => null,
    };
}
