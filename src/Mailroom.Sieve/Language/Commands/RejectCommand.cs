using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>reject &lt;reason&gt;</c> and <c>ereject &lt;reason&gt;</c> (RFC 5429): refuse the message. It conflicts with
/// every action that delivers or answers it (§2.1), which fails the run (the message is then kept).
/// </summary>
internal sealed class RejectCommand(SieveString reason, bool extended, SourcePosition position) : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        while (reader.NextTag(out AstTag tag))
        {
            reader.UnknownTag(tag);
        }

        SieveString? reason = reader.String("reason");
        return reader.Finish() && reason is not null ? new RejectCommand(reason, node.Name == "ereject", node.Position) : null;
    }

    public override Flow Execute(ScriptRun run)
    {
        run.Result.AddReject(new RejectMessageAction(run.Script.Name, Position, reason.Evaluate(run), extended));
        return Flow.Next;
    }
}
