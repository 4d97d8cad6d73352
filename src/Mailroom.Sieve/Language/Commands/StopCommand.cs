using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary><c>stop</c> (RFC 5228 §3.3): ends the script; the implicit keep still applies if nothing cancelled it.</summary>
internal sealed class StopCommand(SourcePosition position) : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context) =>
        new ArgumentReader(node, context, isTest: false).Finish() ? new StopCommand(node.Position) : null;

    public override Flow Execute(ScriptRun run) => Flow.Stop;
}
