using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary><c>anyof &lt;tests&gt;</c> (RFC 5228 §5.3): stops at the first test that holds.</summary>
internal sealed class AnyofTest(IReadOnlyList<SieveTest> tests, SourcePosition position) : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context) =>
        TestLists.Compile(node, context) is { } tests ? new AnyofTest(tests, node.Position) : null;

    public override bool Evaluate(ScriptRun run)
    {
        foreach (SieveTest test in tests)
        {
            if (test.Evaluate(run))
            {
                return true;
            }
        }

        return false;
    }
}
