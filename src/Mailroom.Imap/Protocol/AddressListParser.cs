using System.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// A forgiving RFC 5322 §3.4 address-list parser over a raw (unfolded) header value, producing ENVELOPE addresses.
/// Encoded words (RFC 2047) in display names are kept as they are, as the RFC requires of ENVELOPE. A missing
/// mailbox or domain is filled with MISSING_MAILBOX / MISSING_DOMAIN (as Dovecot does), since a NIL host would
/// read as group syntax.
/// </summary>
internal static class AddressListParser
{
    public const string MissingMailbox = "MISSING_MAILBOX";
    public const string MissingDomain = "MISSING_DOMAIN";

    public static List<ImapAddress> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        List<Token> tokens = Tokenize(value, out List<(int Index, string Text)> comments);
        List<ImapAddress> result = [];
        List<Token> phrase = [];
        bool inGroup = false;
        int addressStart = 0;
        int i = 0;
        while (i < tokens.Count)
        {
            Token token = tokens[i];
            if (token.IsSpecial(','))
            {
                EmitAddrSpec(result, phrase, Comment(comments, addressStart, i));
                addressStart = ++i;
            }
            else if (token.IsSpecial(':') && !inGroup)
            {
                result.Add(new ImapAddress(null, null, PhraseText(phrase) ?? string.Empty, null));
                phrase.Clear();
                inGroup = true;
                addressStart = ++i;
            }
            else if (token.IsSpecial(';') && inGroup)
            {
                EmitAddrSpec(result, phrase, Comment(comments, addressStart, i));
                result.Add(new ImapAddress(null, null, null, null));
                inGroup = false;
                addressStart = ++i;
            }
            else if (token.IsSpecial('<'))
            {
                int close = tokens.FindIndex(i + 1, static t => t.IsSpecial('>'));
                int end = close < 0 ? tokens.Count : close;
                result.Add(AngleAddress(tokens.GetRange(i + 1, end - i - 1), PhraseText(phrase) ?? Comment(comments, addressStart, end)));
                phrase.Clear();
                i = Math.Min(end + 1, tokens.Count);
            }
            else
            {
                phrase.Add(token);
                i++;
            }
        }

        EmitAddrSpec(result, phrase, Comment(comments, addressStart, tokens.Count));
        if (inGroup)
        {
            result.Add(new ImapAddress(null, null, null, null));
        }

        return result;
    }

    // The comment after an address is its name when it has no phrase: "user@host (Real Name)".
    private static string? Comment(List<(int Index, string Text)> comments, int start, int end)
    {
        foreach ((int index, string text) in comments)
        {
            if (index >= start && index <= end && text.Length > 0)
            {
                return text;
            }
        }

        return null;
    }

    private static void EmitAddrSpec(List<ImapAddress> result, List<Token> tokens, string? comment)
    {
        if (tokens.Count == 0)
        {
            return;
        }

        (string mailbox, string host) = SplitAddrSpec(tokens);
        result.Add(new ImapAddress(comment, null, mailbox, host));
        tokens.Clear();
    }

    private static ImapAddress AngleAddress(List<Token> inside, string? name)
    {
        string? route = null;
        if (inside.Count > 0 && inside[0].IsSpecial('@'))
        {
            int colon = inside.FindIndex(static t => t.IsSpecial(':'));
            if (colon >= 0)
            {
                route = Concat(inside, 0, colon);
                inside = inside.GetRange(colon + 1, inside.Count - colon - 1);
            }
        }

        (string mailbox, string host) = SplitAddrSpec(inside);
        return new ImapAddress(name, route, mailbox, host);
    }

    private static (string Mailbox, string Host) SplitAddrSpec(List<Token> tokens)
    {
        int at = tokens.FindLastIndex(static t => t.IsSpecial('@'));
        string local = at < 0 ? Concat(tokens, 0, tokens.Count) : Concat(tokens, 0, at);
        string domain = at < 0 ? string.Empty : Concat(tokens, at + 1, tokens.Count);
        return (local.Length == 0 ? MissingMailbox : local, domain.Length == 0 ? MissingDomain : domain);
    }

    private static string Concat(List<Token> tokens, int start, int end)
    {
        StringBuilder text = new();
        for (int i = start; i < end; i++)
        {
            text.Append(tokens[i].Raw);
        }

        return text.ToString();
    }

    private static string? PhraseText(List<Token> phrase)
    {
        if (phrase.Count == 0)
        {
            return null;
        }

        StringBuilder text = new();
        foreach (Token token in phrase)
        {
            if (text.Length > 0 && !token.IsSpecial('.'))
            {
                text.Append(' ');
            }

            text.Append(token.Value);
        }

        return text.ToString();
    }

    private static List<Token> Tokenize(string value, out List<(int Index, string Text)> comments)
    {
        List<Token> tokens = [];
        comments = [];
        int i = 0;
        while (i < value.Length)
        {
            char c = value[i];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                i++;
            }
            else if (c == '(')
            {
                comments.Add((tokens.Count, ReadComment(value, ref i)));
            }
            else if (c == '"')
            {
                int start = i;
                string text = ReadQuoted(value, ref i);
                tokens.Add(new Token(value[start..i], text, false));
            }
            else if (c == '[')
            {
                int close = value.IndexOf(']', i);
                int end = close < 0 ? value.Length : close + 1;
                tokens.Add(new Token(value[i..end], value[i..end], false));
                i = end;
            }
            else if (c is ')' or '<' or '>' or ':' or ';' or '@' or ',' or '\\' or ']')
            {
                tokens.Add(new Token(c.ToString(), c.ToString(), true));
                i++;
            }
            else
            {
                int start = i;
                while (i < value.Length && value[i] is not (' ' or '\t' or '\r' or '\n' or '(' or ')' or '<' or '>' or ':' or ';'
                    or '@' or ',' or '\\' or '"' or '[' or ']'))
                {
                    i++;
                }

                tokens.Add(new Token(value[start..i], value[start..i], false));
            }
        }

        return tokens;
    }

    private static string ReadQuoted(string value, ref int i)
    {
        StringBuilder text = new();
        i++;
        while (i < value.Length && value[i] != '"')
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            text.Append(value[i]);
            i++;
        }

        i = Math.Min(i + 1, value.Length);
        return text.ToString();
    }

    // Comments nest (RFC 5322 §3.2.2); depth is a counter, not recursion.
    private static string ReadComment(string value, ref int i)
    {
        StringBuilder text = new();
        int depth = 0;
        while (i < value.Length)
        {
            char c = value[i++];
            if (c == '\\' && i < value.Length)
            {
                text.Append(value[i++]);
                continue;
            }

            if (c == '(')
            {
                if (depth++ == 0)
                {
                    continue;
                }
            }
            else if (c == ')' && --depth == 0)
            {
                break;
            }

            text.Append(c);
        }

        return text.ToString().Trim();
    }

    private readonly record struct Token(string Raw, string Value, bool Special)
    {
        public bool IsSpecial(char c) => Special && Raw[0] == c;
    }
}
