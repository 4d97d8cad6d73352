using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>The test list of <c>allof</c>/<c>anyof</c>: at least one test, in parentheses.</summary>
internal static class TestLists
{
    public static List<SieveTest>? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        bool ok = reader.Finish(allowsTests: true);
        if (!node.TestList || node.Tests.Count == 0)
        {
            context.Error(node.Position, $"the {node.Name} test requires a list of tests in parentheses");
            return null;
        }

        var tests = new List<SieveTest>();
        foreach (AstNode child in node.Tests)
        {
            if (CommandCompiler.CompileTest(child, context) is { } test)
            {
                tests.Add(test);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? tests : null;
    }
}
