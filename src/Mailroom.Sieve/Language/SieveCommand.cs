using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language;

/// <summary>A validated command, ready to run; one subclass per command (one file each in <c>Commands/</c>).</summary>
internal abstract class SieveCommand(SourcePosition position)
{
    public SourcePosition Position { get; } = position;

    public abstract Flow Execute(ScriptRun run);
}
