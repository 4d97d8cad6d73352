namespace Mailroom.Sieve.Syntax;

/// <summary>The script is not well-formed Sieve (RFC 5228 §8); parsing stops at the first such error.</summary>
internal sealed class SieveSyntaxException : Exception
{
    public SieveSyntaxException(SourcePosition position, string message)
        : base(message)
    {
        Position = position;
    }

    public SieveSyntaxException()
    {
    }

    public SieveSyntaxException(string message)
        : base(message)
    {
    }

    public SieveSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SourcePosition Position { get; }
}
