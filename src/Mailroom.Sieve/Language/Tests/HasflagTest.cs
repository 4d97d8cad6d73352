using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>hasflag [MATCH-TYPE] [COMPARATOR] [&lt;variable-list&gt;] &lt;list-of-flags&gt;</c> (RFC 5232 §4): matches each
/// flag of the internal variable (or of the named variables) against the keys; <c>:count</c> counts the flags.
/// </summary>
internal sealed class HasflagTest(IReadOnlyList<(string Name, bool Global)>? variables, SieveStringList keys, MatchSpec match, SourcePosition position)
    : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        var options = new MatchOptions();
        while (reader.NextTag(out AstTag tag))
        {
            if (!options.TryTake(tag, reader))
            {
                reader.UnknownTag(tag);
            }
        }

        List<(string, bool)>? variables = null;
        if (reader.RemainingPositionals >= 2)
        {
            SieveStringList? names = reader.StringList("variable list");
            if (names is null)
            {
                return null;
            }

            if (!context.IsEnabled(SieveExtensions.Variables))
            {
                context.Error(names.Position, "the hasflag test takes a variable list only with the \"variables\" extension");
                return null;
            }

            variables = [];
            foreach (SieveString name in names.Items)
            {
                if (!name.IsConstant || !StringCompiler.IsIdentifier(name.Constant))
                {
                    context.Error(name.Position, "the hasflag test requires constant identifiers as variable names");
                    return null;
                }

                variables.Add((name.Constant, context.Globals.Contains(name.Constant)));
            }
        }

        SieveStringList? keys = reader.StringList("list of flags");
        if (!reader.Finish() || keys is null)
        {
            return null;
        }

        return new HasflagTest(variables, keys, HeaderSelection.BuildMatch(options, reader, keys), node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        List<string> flags = variables is null
            ? run.Execution.InternalFlags
            : FlagList.Split(variables.Select(v => run.GetVariable(v.Name, v.Global)));
        if (match.Kind is MatchKind.Count or MatchKind.Value)
        {
            return match.Match(run, flags, keys);
        }

        // RFC 5232 §4: each key is itself a flag list; every flag of it is matched against the stored flags.
        List<string> wanted = FlagList.Split(keys.Evaluate(run));
        var keyList = new SieveStringList([.. wanted.Select(w => SieveString.FromConstant(w, Position))], Position);
        return match.Match(run, flags, keyList);
    }
}
