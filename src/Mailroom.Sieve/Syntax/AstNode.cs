namespace Mailroom.Sieve.Syntax;

/// <summary>
/// A command or test as written (RFC 5228 §8.2): its name, arguments, tests (one test, or a test list in parentheses)
/// and, for a command with a block, the commands of the block.
/// </summary>
internal sealed class AstNode
{
    public AstNode(string name, SourcePosition position)
    {
        Name = name;
        Position = position;
    }

    /// <summary>The identifier, lower-cased (identifiers are case-insensitive).</summary>
    public string Name { get; }

    public SourcePosition Position { get; }

    public List<AstArgument> Arguments { get; } = [];

    public List<AstNode> Tests { get; } = [];

    /// <summary>The tests were a parenthesised test list rather than one test.</summary>
    public bool TestList { get; set; }

    /// <summary>The block of a command (<c>if</c>, <c>else</c>); null for a command ended by ';' and for tests.</summary>
    public List<AstNode>? Block { get; set; }
}
