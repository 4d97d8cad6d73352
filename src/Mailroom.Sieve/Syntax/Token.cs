namespace Mailroom.Sieve.Syntax;

/// <param name="Kind">What the token is.</param>
/// <param name="Text">Identifier or tag name (without the colon), string value; empty otherwise.</param>
/// <param name="Number">The value of a number token (quantifier applied).</param>
/// <param name="Position">Where the token starts.</param>
internal readonly record struct Token(TokenKind Kind, string Text, long Number, SourcePosition Position)
{
    public string Describe() => Kind switch
    {
        TokenKind.Identifier => $"identifier '{Text}'",
        TokenKind.Tag => $"tag ':{Text}'",
        TokenKind.Number => $"number {Number}",
        TokenKind.String => "string",
        TokenKind.LeftBracket => "'['",
        TokenKind.RightBracket => "']'",
        TokenKind.LeftParenthesis => "'('",
        TokenKind.RightParenthesis => "')'",
        TokenKind.LeftBrace => "'{'",
        TokenKind.RightBrace => "'}'",
        TokenKind.Comma => "','",
        TokenKind.Semicolon => "';'",
        _ => "end of script",
    };
}
