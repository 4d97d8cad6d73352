using Mailroom.Sieve.Language;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Compilation;

/// <summary>
/// The optional tags tests share: <c>:comparator</c>, the match type (with the relational ones), the address part, and
/// <c>:index</c>/<c>:last</c> (RFC 5260 §6). Each tag is known only when its extension was required.
/// </summary>
internal sealed class MatchOptions
{
    private AstTag? _comparatorTag;
    private AstTag? _matchTag;
    private AstTag? _partTag;
    private AstTag? _indexTag;
    private AstTag? _lastTag;

    public ComparatorKind Comparator { get; private set; } = ComparatorKind.AsciiCasemap;

    public MatchKind Kind { get; private set; } = MatchKind.Is;

    public Relation Relation { get; private set; } = Relation.Eq;

    public AddressPart Part { get; private set; } = AddressPart.All;

    /// <summary>The 1-based field occurrence to test (<c>:index</c>), 0 for all.</summary>
    public int Index { get; private set; }

    /// <summary>Count occurrences from the end (<c>:last</c>).</summary>
    public bool Last { get; private set; }

    /// <summary>Takes <paramref name="tag"/> if it is one of the shared tags this test allows; false when it is not.</summary>
    public bool TryTake(AstTag tag, ArgumentReader reader, bool addressPart = false, bool index = false)
    {
        CompileContext context = reader.Context;
        switch (tag.Name)
        {
            case "comparator":
                string? comparatorName = reader.TagConstant(tag);
                if (Check(ref _comparatorTag, tag, reader) && comparatorName is { } name)
                {
                    if (!Comparators.TryParse(name, out ComparatorKind comparator)
                        || (comparator == ComparatorKind.AsciiNumeric && !context.IsEnabled(SieveExtensions.AsciiNumeric)))
                    {
                        context.Error(tag.Position, $"unknown comparator '{name}'");
                    }
                    else
                    {
                        Comparator = comparator;
                    }
                }

                return true;
            case "is" or "contains" or "matches":
                if (Check(ref _matchTag, tag, reader))
                {
                    Kind = tag.Name switch { "is" => MatchKind.Is, "contains" => MatchKind.Contains, _ => MatchKind.Matches };
                }

                return true;
            case "regex" when context.IsEnabled(SieveExtensions.Regex):
                if (Check(ref _matchTag, tag, reader))
                {
                    Kind = MatchKind.Regex;
                }

                return true;
            case "value" or "count" when context.IsEnabled(SieveExtensions.Relational):
                string? relationName = reader.TagConstant(tag);
                if (Check(ref _matchTag, tag, reader) && relationName is { } relation)
                {
                    Kind = tag.Name == "value" ? MatchKind.Value : MatchKind.Count;
                    if (!Relations.TryParse(relation, out Relation parsed))
                    {
                        context.Error(tag.Position, $"invalid relational match operator '{relation}' (must be one of gt, ge, lt, le, eq, ne)");
                    }

                    Relation = parsed;
                }

                return true;
            case "all" or "localpart" or "domain" when addressPart:
            case "user" or "detail" when addressPart && context.IsEnabled(SieveExtensions.Subaddress):
                if (Check(ref _partTag, tag, reader))
                {
                    AddressParts.TryParse(tag.Name, out AddressPart part);
                    Part = part;
                }

                return true;
            case "index" when index && context.IsEnabled(SieveExtensions.Index):
                long? indexValue = reader.TagNumber(tag);
                if (Check(ref _indexTag, tag, reader) && indexValue is { } n)
                {
                    if (n < 1 || n > int.MaxValue)
                    {
                        context.Error(tag.Position, "the :index tag requires a number of 1 or more");
                    }
                    else
                    {
                        Index = (int)n;
                    }
                }

                return true;
            case "last" when index && context.IsEnabled(SieveExtensions.Index):
                if (Check(ref _lastTag, tag, reader))
                {
                    Last = true;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Checks the combination and builds the match; the keys' constant expressions are compiled now.</summary>
    public MatchSpec Build(ArgumentReader reader, SourcePosition position, SieveStringList? keys)
    {
        CompileContext context = reader.Context;
        if (_lastTag is not null && _indexTag is null)
        {
            context.Error(_lastTag.Position, "the :last tag requires the :index tag");
        }

        if (Comparator == ComparatorKind.AsciiNumeric && Kind is MatchKind.Contains or MatchKind.Matches or MatchKind.Regex)
        {
            context.Error(_matchTag!.Position, $"the comparator 'i;ascii-numeric' does not support the :{_matchTag.Name} match type");
        }

        var spec = new MatchSpec(Comparator, Kind, Relation, position);
        if (keys is not null && spec.Prepare(keys) is { } error)
        {
            context.Error(keys.Position, error);
        }

        return spec;
    }

    private static bool Check(ref AstTag? seen, AstTag tag, ArgumentReader reader)
    {
        if (seen is not null)
        {
            reader.Context.Error(tag.Position, $"{reader.What} was given more than one {Category(tag.Name)} (:{seen.Name} and :{tag.Name})");
            return false;
        }

        seen = tag;
        return true;
    }

    private static string Category(string tag) => tag switch
    {
        "comparator" => "comparator",
        "all" or "localpart" or "domain" or "user" or "detail" => "address part",
        "index" => ":index",
        "last" => ":last",
        _ => "match type",
    };
}
