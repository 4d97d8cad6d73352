using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary><c>return</c> (RFC 6609 §3.3): ends the included script; in the main script it acts as <c>stop</c>.</summary>
internal sealed class ReturnCommand(SourcePosition position) : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context) =>
        new ArgumentReader(node, context, isTest: false).Finish() ? new ReturnCommand(node.Position) : null;

    public override Flow Execute(ScriptRun run) => Flow.Return;
}
