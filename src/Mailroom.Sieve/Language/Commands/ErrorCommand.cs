using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary><c>error &lt;message&gt;</c> (RFC 5463 §5): fails the run with the script author's message (the message is kept).</summary>
internal sealed class ErrorCommand(SieveString message, SourcePosition position) : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        while (reader.NextTag(out var tag))
        {
            reader.UnknownTag(tag);
        }

        SieveString? message = reader.String("message");
        return reader.Finish() && message is not null ? new ErrorCommand(message, node.Position) : null;
    }

    public override Flow Execute(ScriptRun run) =>
        throw new SieveRuntimeException(Position, "error command: " + message.Evaluate(run));
}
