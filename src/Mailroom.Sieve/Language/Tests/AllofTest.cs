using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary><c>allof &lt;tests&gt;</c> (RFC 5228 §5.2): every test, left to right, stopping at the first false (RFC 5229 §3.2).</summary>
internal sealed class AllofTest(IReadOnlyList<SieveTest> tests, SourcePosition position) : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context) =>
        TestLists.Compile(node, context) is { } tests ? new AllofTest(tests, node.Position) : null;

    public override bool Evaluate(ScriptRun run)
    {
        foreach (SieveTest test in tests)
        {
            if (!test.Evaluate(run))
            {
                return false;
            }
        }

        return true;
    }
}
