namespace Mailroom.Sieve.Syntax;

/// <summary>The lexical tokens of RFC 5228 §8.1.</summary>
internal enum TokenKind
{
    Identifier,
    Tag,
    Number,

    /// <summary>A quoted string or a multi-line <c>text:</c> string, already unescaped / un-dot-stuffed.</summary>
    String,
    LeftBracket,
    RightBracket,
    LeftParenthesis,
    RightParenthesis,
    LeftBrace,
    RightBrace,
    Comma,
    Semicolon,
    EndOfScript,
}
