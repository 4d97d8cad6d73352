using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary><c>discard</c> (RFC 5228 §4.4): cancels the implicit keep; the message goes nowhere unless another action delivers it.</summary>
internal sealed class DiscardCommand(SourcePosition position) : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context) =>
        new ArgumentReader(node, context, isTest: false).Finish() ? new DiscardCommand(node.Position) : null;

    public override Flow Execute(ScriptRun run)
    {
        run.Result.AddDiscard(new DiscardMessageAction(run.Script.Name, Position));
        return Flow.Next;
    }
}
