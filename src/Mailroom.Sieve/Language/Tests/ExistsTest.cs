using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary><c>exists &lt;header-names&gt;</c> (RFC 5228 §5.5): every named field is present.</summary>
internal sealed class ExistsTest(SieveStringList names, SourcePosition position) : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        while (reader.NextTag(out AstTag tag))
        {
            reader.UnknownTag(tag);
        }

        SieveStringList? names = reader.StringList("header names");
        if (!reader.Finish() || names is null)
        {
            return null;
        }

        HeaderSelection.CheckNames(names, context);
        return new ExistsTest(names, node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        foreach (string name in names.Evaluate(run))
        {
            if (run.Message.GetFirstHeader(name) is null)
            {
                return false;
            }
        }

        return true;
    }
}
