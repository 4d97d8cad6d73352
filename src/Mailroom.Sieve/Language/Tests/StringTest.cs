using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>string [MATCH-TYPE] [COMPARATOR] &lt;source&gt; &lt;key-list&gt;</c> (RFC 5229 §5): matches strings (usually
/// expanded variables); <c>:count</c> counts the source strings that are not empty.
/// </summary>
internal sealed class StringTest(SieveStringList source, SieveStringList keys, MatchSpec match, SourcePosition position) : SieveTest(position)
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

        SieveStringList? source = reader.StringList("source");
        SieveStringList? keys = reader.StringList("key list");
        if (!reader.Finish() || source is null || keys is null)
        {
            return null;
        }

        return new StringTest(source, keys, HeaderSelection.BuildMatch(options, reader, keys), node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        List<string> values = source.Evaluate(run);
        if (match.Kind == MatchKind.Count)
        {
            values.RemoveAll(v => v.Length == 0);
        }

        return match.Match(run, values, keys);
    }
}
