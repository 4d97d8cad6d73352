using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>global &lt;names&gt;</c> (RFC 6609 §3.4.1): later references to these names in this script are to the variables
/// shared by all scripts. Needs <c>variables</c> too; the names must be constant identifiers not yet <c>set</c> locally.
/// </summary>
internal sealed class GlobalCommand(SourcePosition position) : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        if (!context.IsEnabled(SieveExtensions.Variables))
        {
            context.Error(node.Position, "the global command requires the \"variables\" extension as well");
        }

        while (reader.NextTag(out var tag))
        {
            reader.UnknownTag(tag);
        }

        if (reader.StringList("names") is not { } names || !reader.Finish())
        {
            return null;
        }

        foreach (SieveString name in names.Items)
        {
            if (!name.IsConstant || !StringCompiler.IsIdentifier(name.Constant))
            {
                context.Error(name.Position, "the global command requires constant variable names that are identifiers");
            }
            else if (context.SetLocals.Contains(name.Constant))
            {
                context.Error(name.Position, $"variable '{name.Constant}' was set in this script before it was declared global");
            }
            else
            {
                context.Globals.Add(name.Constant);
            }
        }

        return new GlobalCommand(node.Position);
    }

    public override Flow Execute(ScriptRun run) => Flow.Next;
}
