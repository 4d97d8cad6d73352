using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary><c>true</c> and <c>false</c> (RFC 5228 §5.10, §5.6).</summary>
internal sealed class ConstantTest(bool value, SourcePosition position) : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context) =>
        new ArgumentReader(node, context, isTest: true).Finish() ? new ConstantTest(node.Name == "true", node.Position) : null;

    public override bool Evaluate(ScriptRun run) => value;
}
