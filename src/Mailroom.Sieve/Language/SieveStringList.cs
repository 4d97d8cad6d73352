using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language;

/// <summary>A string-list argument (RFC 5228 §2.4.2.1), each item expanded when evaluated.</summary>
internal sealed class SieveStringList(IReadOnlyList<SieveString> items, SourcePosition position)
{
    public IReadOnlyList<SieveString> Items { get; } = items;

    public SourcePosition Position { get; } = position;

    public bool IsConstant => Items.All(i => i.IsConstant);

    public List<string> Evaluate(ScriptRun run)
    {
        var values = new List<string>(Items.Count);
        foreach (SieveString item in Items)
        {
            values.Add(item.Evaluate(run));
        }

        return values;
    }
}
