using System.Globalization;
using System.Text;
using Mailroom.Sieve.Language;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Compilation;

/// <summary>
/// Turns string literals into <see cref="SieveString"/>s: first encoded characters (RFC 5228 §2.4.2.4, with
/// <c>encoded-character</c>), then variable references (RFC 5229 §3, with <c>variables</c>), each in one pass.
/// </summary>
internal static class StringCompiler
{
    public static SieveString Compile(AstString literal, CompileContext context)
    {
        string text = literal.Value;
        if (context.IsEnabled(SieveExtensions.EncodedCharacter))
        {
            text = DecodeEncodedCharacters(text, literal.Position, context);
        }

        if (!context.IsEnabled(SieveExtensions.Variables) || !text.Contains("${", StringComparison.Ordinal))
        {
            return SieveString.FromConstant(text, literal.Position);
        }

        return SieveString.FromParts(ParseTemplate(text, literal.Position, context), literal.Position);
    }

    public static SieveStringList CompileList(AstStringList list, CompileContext context) =>
        new([.. list.Items.Select(item => Compile(item, context))], list.Position);

    /// <summary>True for a variable-name of RFC 5229 §3 (an identifier, or digits), without namespace.</summary>
    public static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static List<StringPart> ParseTemplate(string text, SourcePosition position, CompileContext context)
    {
        var parts = new List<StringPart>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{' && TryReference(text, i + 2, out int end, out string reference))
            {
                StringPart? part = Resolve(reference, position, context);
                if (part is not null)
                {
                    if (literal.Length > 0)
                    {
                        parts.Add(new LiteralPart(literal.ToString()));
                        literal.Clear();
                    }

                    parts.Add(part);
                    i = end;
                    continue;
                }
            }

            literal.Append(text[i]);
            i++;
        }

        if (literal.Length > 0)
        {
            parts.Add(new LiteralPart(literal.ToString()));
        }

        return parts;
    }

    /// <summary>Reads <c>[namespace.]name}</c> from <paramref name="start"/>; the name may be digits (a match variable).</summary>
    private static bool TryReference(string text, int start, out int end, out string reference)
    {
        end = start;
        reference = "";
        int i = start;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
        {
            i++;
        }

        if (i == start || i >= text.Length || text[i] != '}')
        {
            return false;
        }

        reference = text[start..i];
        string[] levels = reference.Split('.');
        foreach (string level in levels)
        {
            bool digits = level.Length > 0 && level.All(char.IsAsciiDigit);
            if (!digits && !IsIdentifier(level))
            {
                return false;
            }
        }

        // Only the last level may be digits, and then only without a namespace (a match variable).
        if (levels.Length > 1 && !IsIdentifier(levels[0]))
        {
            return false;
        }

        end = i + 1;
        return true;
    }

    private static StringPart? Resolve(string reference, SourcePosition position, CompileContext context)
    {
        int dot = reference.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            if (reference.All(char.IsAsciiDigit))
            {
                // Extra leading zeroes are ignored (RFC 5229 §3.2); a huge index is simply out of range.
                string trimmed = reference.TrimStart('0');
                int index = trimmed.Length == 0 ? 0 : trimmed.Length > 4 ? int.MaxValue : int.Parse(trimmed, CultureInfo.InvariantCulture);
                return new MatchPart(index);
            }

            return new VariablePart(reference, context.Globals.Contains(reference));
        }

        string space = reference[..dot];
        string name = reference[(dot + 1)..];
        if (space.Equals("global", StringComparison.OrdinalIgnoreCase) && context.IsEnabled(SieveExtensions.Include))
        {
            // RFC 6609 §3.4.2: no sub-namespaces, and the name must be an identifier.
            if (!IsIdentifier(name))
            {
                context.Error(position, $"invalid variable name '{name}' in the global namespace");
                return null;
            }

            return new VariablePart(name, true);
        }

        // RFC 5229 §3: a namespace no required extension defines is an error.
        context.Error(position, $"unknown variable namespace '{space}' in variable reference '${{{reference}}}'");
        return null;
    }

    /// <summary>
    /// <c>${hex: 41 42}</c> (octets, read as UTF-8) and <c>${unicode: 263a}</c> (code points; outside the Unicode scalar
    /// range is an error). A sequence that is not well-formed is left as written.
    /// </summary>
    private static string DecodeEncodedCharacters(string text, SourcePosition position, CompileContext context)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                int colon = text.IndexOf(':', i + 2);
                int close = text.IndexOf('}', i + 2);
                if (colon > 0 && close > colon)
                {
                    string kind = text[(i + 2)..colon];
                    string body = text[(colon + 1)..close];
                    string? decoded = kind.Equals("hex", StringComparison.OrdinalIgnoreCase) ? DecodeHex(body)
                        : kind.Equals("unicode", StringComparison.OrdinalIgnoreCase) ? DecodeUnicode(body, position, context)
                        : null;
                    if (decoded is not null)
                    {
                        output.Append(decoded);
                        i = close + 1;
                        continue;
                    }
                }
            }

            output.Append(text[i]);
            i++;
        }

        return output.ToString();
    }

    private static string[]? Units(string body)
    {
        string[] units = body.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return units.Length > 0 && units.All(u => u.All(char.IsAsciiHexDigit)) ? units : null;
    }

    private static string? DecodeHex(string body)
    {
        string[]? units = Units(body);
        if (units is null || units.Any(u => u.Length > 2))
        {
            return null;
        }

        byte[] octets = [.. units.Select(u => byte.Parse(u, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
        return Encoding.UTF8.GetString(octets);
    }

    private static string? DecodeUnicode(string body, SourcePosition position, CompileContext context)
    {
        string[]? units = Units(body);
        if (units is null)
        {
            return null;
        }

        var output = new StringBuilder();
        foreach (string unit in units)
        {
            string trimmed = unit.TrimStart('0');
            if (trimmed.Length > 6 || !int.TryParse(trimmed.Length == 0 ? "0" : trimmed, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code)
                || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
            {
                context.Error(position, $"invalid unicode character 0x{unit} in encoded character substitution");
                return "";
            }

            output.Append(char.ConvertFromUtf32(code));
        }

        return output.ToString();
    }
}
