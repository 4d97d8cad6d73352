namespace Mailroom.Sieve.Syntax;

/// <summary>A place in a script: 1-based line and column (columns count characters).</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}
