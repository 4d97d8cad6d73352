using System.Globalization;
using System.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// The value and parameters of a raw Content-Type or Content-Disposition header (RFC 2045 §5.1, RFC 2183) as
/// BODYSTRUCTURE reports them: names lower-cased, quoted values unquoted, RFC 2231 values left encoded (as Dovecot
/// and Cyrus send them, so clients decode them as they do for those servers) but continuations (name*0, name*1*)
/// joined into one parameter.
/// </summary>
internal static class RawParameters
{
    /// <summary>The leading value ("text/plain", "attachment"), trimmed; empty when there is none.</summary>
    public static string Value(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        int semicolon = IndexOfUnquoted(header, ';');
        string value = (semicolon < 0 ? header : header[..semicolon]).Trim();
        int comment = value.IndexOf('(', StringComparison.Ordinal);
        return (comment < 0 ? value : value[..comment]).Trim();
    }

    public static List<KeyValuePair<string, string>> Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        List<KeyValuePair<string, string>> raw = [];
        int i = IndexOfUnquoted(header, ';');
        while (i >= 0 && i < header.Length)
        {
            i = SkipWhitespaceAndComments(header, i + 1);
            int nameStart = i;
            while (i < header.Length && header[i] is not ('=' or ';' or ' ' or '\t' or '('))
            {
                i++;
            }

            string name = header[nameStart..i].ToLowerInvariant();
            i = SkipWhitespaceAndComments(header, i);
            if (name.Length == 0 || i >= header.Length || header[i] != '=')
            {
                i = IndexOfUnquoted(header, ';', i);
                continue;
            }

            i = SkipWhitespaceAndComments(header, i + 1);
            string value = ReadValue(header, ref i);
            raw.Add(new KeyValuePair<string, string>(name, value));
            i = IndexOfUnquoted(header, ';', i);
        }

        return JoinContinuations(raw);
    }

    // RFC 2231 §3: name*0, name*1... (each optionally ending in "*" when extended) form one value, in number order.
    private static List<KeyValuePair<string, string>> JoinContinuations(List<KeyValuePair<string, string>> raw)
    {
        List<KeyValuePair<string, string>> result = [];
        Dictionary<string, SortedDictionary<int, (string Value, bool Extended)>> pieces = new(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> parameter in raw)
        {
            if (!TrySplitContinuation(parameter.Key, out string baseName, out int number, out bool extended))
            {
                result.Add(parameter);
                continue;
            }

            if (!pieces.TryGetValue(baseName, out SortedDictionary<int, (string, bool)>? parts))
            {
                parts = [];
                pieces.Add(baseName, parts);
                result.Add(new KeyValuePair<string, string>(baseName, string.Empty));
            }

            parts.TryAdd(number, (parameter.Value, extended));
        }

        for (int index = 0; index < result.Count; index++)
        {
            if (pieces.TryGetValue(result[index].Key, out SortedDictionary<int, (string Value, bool Extended)>? parts))
            {
                bool extended = parts.Values.First().Extended;
                StringBuilder value = new();
                foreach ((string piece, _) in parts.Values)
                {
                    value.Append(piece);
                }

                result[index] = new KeyValuePair<string, string>(result[index].Key + (extended ? "*" : string.Empty), value.ToString());
            }
        }

        return result;
    }

    private static bool TrySplitContinuation(string name, out string baseName, out int number, out bool extended)
    {
        baseName = name;
        number = 0;
        extended = name.EndsWith('*');
        string trimmed = extended ? name[..^1] : name;
        int star = trimmed.LastIndexOf('*');
        if (star <= 0 || star == trimmed.Length - 1
            || !int.TryParse(trimmed.AsSpan(star + 1), NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return false;
        }

        baseName = trimmed[..star];
        return true;
    }

    private static string ReadValue(string header, ref int i)
    {
        if (i < header.Length && header[i] == '"')
        {
            StringBuilder value = new();
            i++;
            while (i < header.Length && header[i] != '"')
            {
                if (header[i] == '\\' && i + 1 < header.Length)
                {
                    i++;
                }

                value.Append(header[i++]);
            }

            i = Math.Min(i + 1, header.Length);
            return value.ToString();
        }

        int start = i;
        while (i < header.Length && header[i] is not (';' or ' ' or '\t' or '('))
        {
            i++;
        }

        return header[start..i];
    }

    private static int SkipWhitespaceAndComments(string header, int i)
    {
        int depth = 0;
        while (i < header.Length)
        {
            char c = header[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0 && c is not (' ' or '\t'))
            {
                break;
            }

            i++;
        }

        return i;
    }

    private static int IndexOfUnquoted(string header, char target, int start = 0)
    {
        bool quoted = false;
        for (int i = start; i < header.Length; i++)
        {
            char c = header[i];
            if (quoted && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == target)
            {
                return i;
            }
        }

        return -1;
    }
}
