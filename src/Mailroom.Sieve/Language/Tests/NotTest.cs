using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary><c>not &lt;test&gt;</c> (RFC 5228 §5.8).</summary>
internal sealed class NotTest(SieveTest inner, SourcePosition position) : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        bool ok = reader.Finish(allowsTests: true);
        SieveTest? inner = CommandCompiler.CompileSingleTest(node, context, "the not test");
        return ok && inner is not null ? new NotTest(inner, node.Position) : null;
    }

    public override bool Evaluate(ScriptRun run) => !inner.Evaluate(run);
}
