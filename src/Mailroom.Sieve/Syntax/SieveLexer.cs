using System.Text;

namespace Mailroom.Sieve.Syntax;

/// <summary>
/// The tokenizer of RFC 5228 §8.1: identifiers, tags, numbers with K/M/G quantifiers, quoted strings (backslash
/// quoting resolved), multi-line <c>text:</c> strings (dot-stuffing resolved), the special characters, and both kinds
/// of comments. One pass, linear in the script's length; positions are 1-based line and column.
/// </summary>
internal sealed class SieveLexer
{
    // RFC 5228 §2.4.1 asks for 2^31 - 1 at least; numbers are 64-bit here and larger ones are an error.
    private const long MaxNumber = long.MaxValue;

    private readonly string _text;
    private int _offset;
    private int _line = 1;
    private int _column = 1;

    public SieveLexer(string text)
    {
        _text = text;
    }

    /// <summary>Warnings found while scanning (a comment unterminated at the end of the script).</summary>
    public List<(SourcePosition Position, string Message)> Warnings { get; } = [];

    public Token Next()
    {
        SkipWhiteSpaceAndComments();
        SourcePosition start = Position;
        if (_offset >= _text.Length)
        {
            return new Token(TokenKind.EndOfScript, "", 0, start);
        }

        char c = _text[_offset];
        switch (c)
        {
            case '[': Advance(); return Simple(TokenKind.LeftBracket, start);
            case ']': Advance(); return Simple(TokenKind.RightBracket, start);
            case '(': Advance(); return Simple(TokenKind.LeftParenthesis, start);
            case ')': Advance(); return Simple(TokenKind.RightParenthesis, start);
            case '{': Advance(); return Simple(TokenKind.LeftBrace, start);
            case '}': Advance(); return Simple(TokenKind.RightBrace, start);
            case ',': Advance(); return Simple(TokenKind.Comma, start);
            case ';': Advance(); return Simple(TokenKind.Semicolon, start);
            case '"': return QuotedString(start);
            case ':':
                Advance();
                if (_offset >= _text.Length || !IsIdentifierStart(_text[_offset]))
                {
                    throw new SieveSyntaxException(start, "expecting identifier after ':' (tag)");
                }

                return new Token(TokenKind.Tag, Identifier(), 0, start);
        }

        if (char.IsAsciiDigit(c))
        {
            return Number(start);
        }

        if (IsIdentifierStart(c))
        {
            string name = Identifier();
            if (name.Equals("text", StringComparison.OrdinalIgnoreCase) && _offset < _text.Length && _text[_offset] == ':')
            {
                Advance();
                return MultiLineString(start);
            }

            return new Token(TokenKind.Identifier, name, 0, start);
        }

        throw new SieveSyntaxException(start, c < ' ' || c == 0x7f
            ? $"unexpected character 0x{(int)c:x2}"
            : $"unexpected character '{c}'");
    }

    private SourcePosition Position => new(_line, _column);

    private static Token Simple(TokenKind kind, SourcePosition position) => new(kind, "", 0, position);

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private void Advance()
    {
        if (_text[_offset] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        _offset++;
    }

    private string Identifier()
    {
        int start = _offset;
        while (_offset < _text.Length && IsIdentifierPart(_text[_offset]))
        {
            Advance();
        }

        return _text[start.._offset];
    }

    private Token Number(SourcePosition start)
    {
        long value = 0;
        bool overflow = false;
        while (_offset < _text.Length && char.IsAsciiDigit(_text[_offset]))
        {
            int digit = _text[_offset] - '0';
            overflow |= value > (MaxNumber - digit) / 10;
            if (!overflow)
            {
                value = (value * 10) + digit;
            }

            Advance();
        }

        if (_offset < _text.Length)
        {
            // RFC 5228 §2.4.1: K, M and G multiply by 2^10, 2^20 and 2^30.
            int shift = char.ToUpperInvariant(_text[_offset]) switch
            {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                _ => 0,
            };
            if (shift > 0)
            {
                Advance();
                overflow |= value > MaxNumber >> shift;
                value <<= shift;
            }
        }

        if (overflow)
        {
            throw new SieveSyntaxException(start, "number is too large");
        }

        if (_offset < _text.Length && IsIdentifierPart(_text[_offset]))
        {
            throw new SieveSyntaxException(Position, $"unexpected character '{_text[_offset]}' after number");
        }

        return new Token(TokenKind.Number, "", value, start);
    }

    /// <summary>RFC 5228 §2.4.2: <c>\\</c> and <c>\"</c> are the quoting; a backslash before any other character is dropped.</summary>
    private Token QuotedString(SourcePosition start)
    {
        Advance();
        var value = new StringBuilder();
        while (true)
        {
            if (_offset >= _text.Length)
            {
                throw new SieveSyntaxException(Position, $"end of script before the end of the quoted string started at {start}");
            }

            char c = _text[_offset];
            Advance();
            if (c == '"')
            {
                return new Token(TokenKind.String, value.ToString(), 0, start);
            }

            if (c == '\\')
            {
                if (_offset >= _text.Length)
                {
                    throw new SieveSyntaxException(Position, $"end of script before the end of the quoted string started at {start}");
                }

                c = _text[_offset];
                Advance();
            }

            if (c == '\r' && (_offset >= _text.Length || _text[_offset] != '\n'))
            {
                throw new SieveSyntaxException(Position, "bare carriage return in quoted string");
            }

            value.Append(c);
        }
    }

    /// <summary>
    /// RFC 5228 §2.4.2: after <c>text:</c> only white space and a hash comment may follow on the line; the string is
    /// the lines up to one holding a lone ".", with a leading ".." read as ".". Line ends are kept as written.
    /// </summary>
    private Token MultiLineString(SourcePosition start)
    {
        while (_offset < _text.Length && _text[_offset] is ' ' or '\t')
        {
            Advance();
        }

        if (_offset < _text.Length && _text[_offset] == '#')
        {
            SkipToLineEnd();
        }
        else if (_offset < _text.Length && _text[_offset] == '\r')
        {
            Advance();
        }

        if (_offset >= _text.Length || _text[_offset] != '\n')
        {
            throw new SieveSyntaxException(Position, "invalid character after 'text:' (expecting a line end or a hash comment)");
        }

        Advance();
        var value = new StringBuilder();
        while (true)
        {
            if (_offset >= _text.Length)
            {
                throw new SieveSyntaxException(Position, $"end of script before the end of the multi-line string started at {start} (a '.' on a line of its own)");
            }

            int lineStart = _offset;
            int lineEnd = _text.IndexOf('\n', _offset);
            int contentEnd = lineEnd < 0 ? _text.Length : lineEnd;
            int bareEnd = contentEnd > lineStart && _text[contentEnd - 1] == '\r' ? contentEnd - 1 : contentEnd;
            if (bareEnd - lineStart == 1 && _text[lineStart] == '.')
            {
                AdvanceTo(lineEnd < 0 ? _text.Length : lineEnd + 1);
                return new Token(TokenKind.String, value.ToString(), 0, start);
            }

            if (lineEnd < 0)
            {
                throw new SieveSyntaxException(Position, $"end of script before the end of the multi-line string started at {start} (a '.' on a line of its own)");
            }

            int from = _text[lineStart] == '.' ? lineStart + 1 : lineStart;
            value.Append(_text, from, lineEnd + 1 - from);
            AdvanceTo(lineEnd + 1);
        }
    }

    private void AdvanceTo(int offset)
    {
        while (_offset < offset)
        {
            Advance();
        }
    }

    private void SkipToLineEnd()
    {
        while (_offset < _text.Length && _text[_offset] != '\n')
        {
            if (_text[_offset] == '\r' && _offset + 1 < _text.Length && _text[_offset + 1] == '\n')
            {
                break;
            }

            Advance();
        }
    }

    private void SkipWhiteSpaceAndComments()
    {
        while (_offset < _text.Length)
        {
            char c = _text[_offset];
            if (c is ' ' or '\t' or '\n')
            {
                Advance();
            }
            else if (c == '\r' && _offset + 1 < _text.Length && _text[_offset + 1] == '\n')
            {
                Advance();
            }
            else if (c == '#')
            {
                SkipToLineEnd();
                if (_offset >= _text.Length)
                {
                    Warnings.Add((Position, "no newline at end of hash comment at end of script"));
                }
            }
            else if (c == '/' && _offset + 1 < _text.Length && _text[_offset + 1] == '*')
            {
                SourcePosition start = Position;
                int end = _text.IndexOf("*/", _offset + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    AdvanceTo(_text.Length);
                    throw new SieveSyntaxException(Position, $"end of script before the end of the bracket comment started at {start} ('*/')");
                }

                AdvanceTo(end + 2);
            }
            else
            {
                return;
            }
        }
    }
}
