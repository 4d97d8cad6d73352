using System.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// A forgiving RFC 5322 §3.4 address-list parser over a raw (unfolded) header value, producing ENVELOPE addresses.
/// Encoded words (RFC 2047) in display names are kept as they are, as the RFC requires of ENVELOPE. A missing
/// mailbox or domain is filled with MISSING_MAILBOX / MISSING_DOMAIN (as Dovecot does), since a NIL host would
/// read as group syntax. One pass over the value, tokens read as they are needed: the cost is linear in the value,
/// and it stops once the list is full, whatever an outside sender put in the header.
/// </summary>
internal static class AddressListParser
{
    public const string MissingMailbox = "MISSING_MAILBOX";
    public const string MissingDomain = "MISSING_DOMAIN";

    /// <summary>
    /// At most <paramref name="maxAddresses"/> entries (group markers included), in header order; a group the cut
    /// leaves open is closed, so the list stays well-formed.
    /// </summary>
    public static List<ImapAddress> Parse(string value, int maxAddresses)
    {
        ArgumentNullException.ThrowIfNull(value);
        var tokens = new Tokenizer(value);
        List<ImapAddress> result = [];
        List<Token> phrase = [];
        bool inGroup = false;

        // The first non-empty comment since the current address began: its name when it has no phrase
        // ("user@host (Real Name)").
        string? comment = null;
        while (result.Count < maxAddresses && tokens.Next(ref comment, out Token token))
        {
            if (token.IsSpecial(','))
            {
                EmitAddrSpec(result, phrase, comment);
                comment = null;
            }
            else if (token.IsSpecial(':') && !inGroup)
            {
                result.Add(new ImapAddress(null, null, PhraseText(phrase) ?? string.Empty, null));
                phrase.Clear();
                inGroup = true;
                comment = null;
            }
            else if (token.IsSpecial(';') && inGroup)
            {
                EmitAddrSpec(result, phrase, comment);
                result.Add(new ImapAddress(null, null, null, null));
                inGroup = false;
                comment = null;
            }
            else if (token.IsSpecial('<'))
            {
                List<Token> inside = [];
                while (tokens.Next(ref comment, out Token next) && !next.IsSpecial('>'))
                {
                    inside.Add(next);
                }

                result.Add(AngleAddress(inside, PhraseText(phrase) ?? comment));
                phrase.Clear();

                // A comment names one address at most: "(c) <a@x> <b@y>" must not copy it into every address, or a
                // long comment followed by many angle addresses makes output quadratic in the header.
                comment = null;
            }
            else
            {
                phrase.Add(token);
            }
        }

        if (result.Count < maxAddresses)
        {
            EmitAddrSpec(result, phrase, comment);
        }

        if (inGroup)
        {
            result.Add(new ImapAddress(null, null, null, null));
        }

        return result;
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

    private readonly record struct Token(string Raw, string Value, bool Special)
    {
        public bool IsSpecial(char c) => Special && Raw[0] == c;
    }

    /// <summary>Reads tokens one at a time, skipping blanks and comments; each character is looked at once.</summary>
    private struct Tokenizer(string value)
    {
        private int _position;

        /// <summary>
        /// The next token; comments passed on the way fill <paramref name="comment"/> when it is still empty (later
        /// ones are skipped without building their text).
        /// </summary>
        public bool Next(ref string? comment, out Token token)
        {
            while (_position < value.Length)
            {
                char c = value[_position];
                if (c is ' ' or '\t' or '\r' or '\n')
                {
                    _position++;
                }
                else if (c == '(')
                {
                    string? text = ReadComment(keep: comment is null);
                    if (!string.IsNullOrEmpty(text))
                    {
                        comment = text;
                    }
                }
                else if (c == '"')
                {
                    int start = _position;
                    string text = ReadQuoted();
                    token = new Token(value[start.._position], text, false);
                    return true;
                }
                else if (c == '[')
                {
                    int close = value.IndexOf(']', _position);
                    int end = close < 0 ? value.Length : close + 1;
                    string literal = value[_position..end];
                    token = new Token(literal, literal, false);
                    _position = end;
                    return true;
                }
                else if (c is ')' or '<' or '>' or ':' or ';' or '@' or ',' or '\\' or ']')
                {
                    string special = c.ToString();
                    token = new Token(special, special, true);
                    _position++;
                    return true;
                }
                else
                {
                    int start = _position;
                    while (_position < value.Length && value[_position] is not (' ' or '\t' or '\r' or '\n' or '(' or ')' or '<' or '>'
                        or ':' or ';' or '@' or ',' or '\\' or '"' or '[' or ']'))
                    {
                        _position++;
                    }

                    string atom = value[start.._position];
                    token = new Token(atom, atom, false);
                    return true;
                }
            }

            token = default;
            return false;
        }

        private string ReadQuoted()
        {
            StringBuilder text = new();
            _position++;
            while (_position < value.Length && value[_position] != '"')
            {
                if (value[_position] == '\\' && _position + 1 < value.Length)
                {
                    _position++;
                }

                text.Append(value[_position]);
                _position++;
            }

            _position = Math.Min(_position + 1, value.Length);
            return text.ToString();
        }

        // Comments nest (RFC 5322 §3.2.2); depth is a counter, not recursion.
        private string? ReadComment(bool keep)
        {
            StringBuilder? text = keep ? new StringBuilder() : null;
            int depth = 0;
            while (_position < value.Length)
            {
                char c = value[_position++];
                if (c == '\\' && _position < value.Length)
                {
                    text?.Append(value[_position]);
                    _position++;
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

                text?.Append(c);
            }

            return text?.ToString().Trim();
        }
    }
}
