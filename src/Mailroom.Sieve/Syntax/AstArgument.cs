namespace Mailroom.Sieve.Syntax;

/// <summary>One argument of a command or test: a tag, a number or a string list (RFC 5228 §2.6).</summary>
internal abstract class AstArgument
{
    protected AstArgument(SourcePosition position)
    {
        Position = position;
    }

    public SourcePosition Position { get; }

    public abstract string Describe();
}

internal sealed class AstTag(string name, SourcePosition position) : AstArgument(position)
{
    /// <summary>The tag without its colon, lower-cased.</summary>
    public string Name { get; } = name;

    public override string Describe() => $"tag ':{Name}'";
}

internal sealed class AstNumber(long value, SourcePosition position) : AstArgument(position)
{
    public long Value { get; } = value;

    public override string Describe() => "number";
}

internal sealed class AstStringList(List<AstString> items, bool bracketed, SourcePosition position) : AstArgument(position)
{
    public List<AstString> Items { get; } = items;

    /// <summary>Written as <c>[...]</c> rather than as a single string.</summary>
    public bool Bracketed { get; } = bracketed;

    public override string Describe() => Bracketed ? "string list" : "string";
}

/// <param name="Value">The string after quoting and dot-stuffing were resolved.</param>
/// <param name="Position">Where it starts.</param>
internal sealed record AstString(string Value, SourcePosition Position);
