using Mailroom.Sieve.Runtime;

namespace Mailroom.Sieve.Language;

/// <summary>A sequence of commands (the script, or the block of an <c>if</c>).</summary>
internal sealed class Block(IReadOnlyList<SieveCommand> commands)
{
    public IReadOnlyList<SieveCommand> Commands { get; } = commands;

    public Flow Execute(ScriptRun run)
    {
        foreach (SieveCommand command in Commands)
        {
            run.Step(command.Position);
            Flow flow = command.Execute(run);
            if (flow != Flow.Next)
            {
                return flow;
            }
        }

        return Flow.Next;
    }
}
