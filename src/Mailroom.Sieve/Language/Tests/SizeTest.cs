using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary><c>size :over|:under &lt;limit&gt;</c> (RFC 5228 §5.9): strictly greater / strictly smaller.</summary>
internal sealed class SizeTest(bool over, long limit, SourcePosition position) : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        bool? over = null;
        while (reader.NextTag(out AstTag tag))
        {
            if (tag.Name is "over" or "under")
            {
                if (over is not null)
                {
                    context.Error(tag.Position, "the size test requires exactly one of :over and :under");
                }

                over = tag.Name == "over";
            }
            else
            {
                reader.UnknownTag(tag);
            }
        }

        long? limit = reader.Number("limit");
        if (!reader.Finish() || limit is null)
        {
            return null;
        }

        if (over is null)
        {
            context.Error(node.Position, "the size test requires one of the :over or :under tags");
            return null;
        }

        return new SizeTest(over.Value, limit.Value, node.Position);
    }

    public override bool Evaluate(ScriptRun run) => over ? run.Message.Size > limit : run.Message.Size < limit;
}
