using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>include [:personal | :global] [:once] [:optional] &lt;name&gt;</c> (RFC 6609 §3.2): run another script of the
/// user (or of the site) in place, with its own variables. Nesting, the number of includes and include cycles are
/// bounded at run time; a missing script fails the run unless <c>:optional</c>.
/// </summary>
internal sealed class IncludeCommand(string name, bool global, bool once, bool optional, SourcePosition position) : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        bool? global = null;
        bool once = false;
        bool optional = false;
        while (reader.NextTag(out AstTag tag))
        {
            switch (tag.Name)
            {
                case "personal" or "global":
                    if (global is not null)
                    {
                        reader.DuplicateTag(tag);
                    }

                    global = tag.Name == "global";
                    break;
                case "once":
                    once = true;
                    break;
                case "optional":
                    optional = true;
                    break;
                default:
                    reader.UnknownTag(tag);
                    break;
            }
        }

        SieveString? name = reader.String("script name");
        if (!reader.Finish() || name is null)
        {
            return null;
        }

        // RFC 6609 §3.2: the name is a constant string; a path is not a script name.
        if (!name.IsConstant)
        {
            context.Error(name.Position, "the include command requires a constant script name");
            return null;
        }

        if (!ScriptNames.IsValid(name.Constant))
        {
            context.Error(name.Position, $"include: invalid script name '{name.Constant}'");
            return null;
        }

        return new IncludeCommand(name.Constant, global ?? false, once, optional, node.Position);
    }

    public override Flow Execute(ScriptRun run)
    {
        SieveExecution execution = run.Execution;
        string key = (global ? "global:" : "personal:") + name;
        if (once && execution.Included.Contains(key))
        {
            return Flow.Next;
        }

        string where = global ? "global" : "personal";
        if (execution.IncludeStack.Contains(key))
        {
            throw new SieveRuntimeException(Position, $"circular include of {where} script '{name}'");
        }

        if (run.Depth + 1 > execution.Settings.MaxIncludeDepth)
        {
            throw new SieveRuntimeException(Position, $"cannot nest includes deeper than {execution.Settings.MaxIncludeDepth} levels");
        }

        if (++execution.IncludeCount > execution.Settings.MaxIncludes)
        {
            throw new SieveRuntimeException(Position, $"too many includes in one execution (more than {execution.Settings.MaxIncludes})");
        }

        CompiledScript? script = run.Host.LoadInclude(global, name, out string? error);
        if (script is null)
        {
            if (error is not null)
            {
                throw new SieveRuntimeException(Position, $"failed to compile included {where} script '{name}': {error}");
            }

            if (optional)
            {
                return Flow.Next;
            }

            throw new SieveRuntimeException(Position, $"included {where} script '{name}' does not exist");
        }

        execution.Included.Add(key);
        execution.IncludeStack.Add(key);
        try
        {
            Flow flow = script.Body.Execute(new ScriptRun(execution, script, run.Depth + 1));
            return flow == Flow.Stop ? Flow.Stop : Flow.Next;
        }
        finally
        {
            execution.IncludeStack.RemoveAt(execution.IncludeStack.Count - 1);
        }
    }
}
