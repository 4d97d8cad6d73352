using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>setflag</c> / <c>addflag</c> / <c>removeflag [&lt;variablename&gt;] &lt;list-of-flags&gt;</c> (RFC 5232 §3):
/// change the internal flag variable, or the named variable (with <c>variables</c>).
/// </summary>
internal sealed class FlagCommand(string operation, string? variable, bool global, SieveStringList flags, SourcePosition position)
    : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        while (reader.NextTag(out AstTag tag))
        {
            reader.UnknownTag(tag);
        }

        SieveString? variable = null;
        if (reader.RemainingPositionals >= 2)
        {
            variable = reader.String("variable name");
            if (variable is null)
            {
                return null;
            }

            if (!context.IsEnabled(SieveExtensions.Variables))
            {
                context.Error(variable.Position, $"the {node.Name} command takes a variable name only with the \"variables\" extension");
                return null;
            }

            if (!variable.IsConstant || !StringCompiler.IsIdentifier(variable.Constant))
            {
                context.Error(variable.Position, $"the {node.Name} command requires a constant identifier as variable name");
                return null;
            }
        }

        SieveStringList? flags = reader.StringList("list of flags");
        if (!reader.Finish() || flags is null)
        {
            return null;
        }

        string? name = variable?.Constant;
        bool global = name is not null && context.Globals.Contains(name);
        if (name is not null && !global)
        {
            context.SetLocals.Add(name);
        }

        return new FlagCommand(node.Name, name, global, flags, node.Position);
    }

    public override Flow Execute(ScriptRun run)
    {
        List<string> changes = FlagList.Split(flags.Evaluate(run));
        List<string> current = variable is null
            ? run.Execution.InternalFlags
            : FlagList.Split([run.GetVariable(variable, global)]);
        List<string> updated;
        switch (operation)
        {
            case "setflag":
                updated = changes;
                break;
            case "addflag":
                updated = [.. current];
                foreach (string flag in changes)
                {
                    FlagList.AddOnce(updated, flag);
                }

                break;
            default:
                updated = [.. current.Where(f => !changes.Exists(c => c.Equals(f, StringComparison.OrdinalIgnoreCase)))];
                break;
        }

        if (variable is null)
        {
            run.Execution.InternalFlags = updated;
        }
        else
        {
            run.SetVariable(variable, global, FlagList.Join(updated), Position);
        }

        return Flow.Next;
    }
}
