using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>header [COMPARATOR] [MATCH-TYPE] [:index n [:last]] &lt;header-names&gt; &lt;key-list&gt;</c> (RFC 5228 §5.7):
/// the values of the named fields, decoded (RFC 2047) and unfolded.
/// </summary>
internal sealed class HeaderTest(SieveStringList names, SieveStringList keys, MatchSpec match, int index, bool last, SourcePosition position)
    : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        var options = new MatchOptions();
        while (reader.NextTag(out AstTag tag))
        {
            if (!options.TryTake(tag, reader, index: true))
            {
                reader.UnknownTag(tag);
            }
        }

        SieveStringList? names = reader.StringList("header names");
        SieveStringList? keys = reader.StringList("key list");
        if (!reader.Finish() || names is null || keys is null)
        {
            return null;
        }

        HeaderSelection.CheckNames(names, context);
        MatchSpec match = HeaderSelection.BuildMatch(options, reader, keys);
        return new HeaderTest(names, keys, match, options.Index, options.Last, node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        var values = new List<string>();
        foreach (string name in names.Evaluate(run))
        {
            values.AddRange(HeaderSelection.Select(run.Message.GetHeaderValues(name), index, last));
        }

        return match.Match(run, values, keys);
    }
}
