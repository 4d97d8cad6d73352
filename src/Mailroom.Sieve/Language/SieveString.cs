using System.Text;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language;

/// <summary>
/// A string argument: constant, or (with <c>variables</c>) a template whose references are expanded when the command
/// runs, in one pass (RFC 5229 §3).
/// </summary>
internal sealed class SieveString
{
    private readonly string? _constant;
    private readonly StringPart[]? _parts;

    private SieveString(string? constant, StringPart[]? parts, SourcePosition position)
    {
        _constant = constant;
        _parts = parts;
        Position = position;
    }

    public SourcePosition Position { get; }

    public bool IsConstant => _parts is null;

    /// <summary>The value of a constant string.</summary>
    public string Constant => _constant ?? throw new InvalidOperationException("The string is not constant.");

    public static SieveString FromConstant(string value, SourcePosition position) => new(value, null, position);

    public static SieveString FromParts(List<StringPart> parts, SourcePosition position)
    {
        if (parts.TrueForAll(p => p is LiteralPart))
        {
            return new SieveString(string.Concat(parts.Select(p => ((LiteralPart)p).Text)), null, position);
        }

        return new SieveString(null, [.. parts], position);
    }

    public string Evaluate(ScriptRun run)
    {
        if (_parts is null)
        {
            return _constant!;
        }

        var builder = new StringBuilder();
        foreach (StringPart part in _parts)
        {
            switch (part)
            {
                case LiteralPart literal:
                    builder.Append(literal.Text);
                    break;
                case VariablePart variable:
                    builder.Append(run.GetVariable(variable.Name, variable.Global));
                    break;
                case MatchPart match:
                    builder.Append(run.GetMatchValue(match.Index));
                    break;
            }
        }

        return builder.ToString();
    }
}
