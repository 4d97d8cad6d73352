using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language;

/// <summary>A validated test; one subclass per test (one file each in <c>Tests/</c>).</summary>
internal abstract class SieveTest(SourcePosition position)
{
    public SourcePosition Position { get; } = position;

    public abstract bool Evaluate(ScriptRun run);
}
