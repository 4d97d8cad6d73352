using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Tests;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>if</c> / <c>elsif</c> / <c>else</c> (RFC 5228 §3.1): the block of the first test that holds runs. A branch
/// whose test is <c>ihave</c> gets the extensions it names inside its block (RFC 5463 §4); when they are not all
/// available the block is not validated, and never runs.
/// </summary>
internal sealed class IfCommand(IReadOnlyList<(SieveTest Test, Block Block)> branches, Block? otherwise, SourcePosition position)
    : SieveCommand(position)
{
    public static SieveCommand? Compile(List<AstNode> chain, CompileContext context)
    {
        var branches = new List<(SieveTest, Block)>();
        Block? otherwise = null;
        bool ok = true;
        foreach (AstNode node in chain)
        {
            if (node.Arguments.Count > 0)
            {
                context.Error(node.Arguments[0].Position, $"the {node.Name} command takes no arguments besides its test");
                ok = false;
            }

            if (node.Block is null)
            {
                context.Error(node.Position, $"the {node.Name} command requires a block");
                ok = false;
                continue;
            }

            if (node.Name == "else")
            {
                if (node.Tests.Count > 0)
                {
                    context.Error(node.Position, "the else command takes no test");
                    ok = false;
                }

                otherwise = CommandCompiler.CompileBlock(node.Block, context, topLevel: false);
                continue;
            }

            SieveTest? test = CommandCompiler.CompileSingleTest(node, context, $"the {node.Name} command");
            IReadOnlyList<string>? ihave = test is IhaveTest { } probe ? probe.Extensions : null;
            Block block;
            if (ihave is not null && test is IhaveTest { Available: false })
            {
                // RFC 5463 §4: unknown extensions inside; the block is neither validated nor run.
                block = new Block([]);
            }
            else if (ihave is not null)
            {
                context.EnterIhave(ihave);
                block = CommandCompiler.CompileBlock(node.Block, context, topLevel: false);
                context.LeaveIhave();
            }
            else
            {
                block = CommandCompiler.CompileBlock(node.Block, context, topLevel: false);
            }

            if (test is null)
            {
                ok = false;
                continue;
            }

            branches.Add((test, block));
        }

        return ok ? new IfCommand(branches, otherwise, chain[0].Position) : null;
    }

    public override Flow Execute(ScriptRun run)
    {
        foreach ((SieveTest test, Block block) in branches)
        {
            if (test.Evaluate(run))
            {
                return block.Execute(run);
            }
        }

        return otherwise?.Execute(run) ?? Flow.Next;
    }
}
