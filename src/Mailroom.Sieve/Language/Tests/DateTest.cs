using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;
using MimeKit.Utils;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>date [:zone z | :originalzone] [COMPARATOR] [MATCH-TYPE] [:index n [:last]] &lt;header&gt; &lt;date-part&gt; &lt;keys&gt;</c>
/// and <c>currentdate [:zone z] [COMPARATOR] [MATCH-TYPE] &lt;date-part&gt; &lt;keys&gt;</c> (RFC 5260 §4, §5). A date
/// is converted to <c>:zone</c>, kept in its own zone with <c>:originalzone</c>, else to the local zone; a field that
/// is not a date matches nothing. For Received the date after the last ";" is used.
/// </summary>
internal sealed class DateTest(bool current, SieveString? header, SieveString part, TimeSpan? zone, bool originalZone, SieveStringList keys,
    MatchSpec match, int index, bool last, SourcePosition position) : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        bool current = node.Name == "currentdate";
        var reader = new ArgumentReader(node, context, isTest: true);
        var options = new MatchOptions();
        TimeSpan? zone = null;
        bool originalZone = false;
        while (reader.NextTag(out AstTag tag))
        {
            if (tag.Name == "zone")
            {
                if (reader.TagConstant(tag) is { } text)
                {
                    if (DateParts.TryParseZone(text, out TimeSpan offset))
                    {
                        zone = offset;
                    }
                    else
                    {
                        context.Warning(tag.Position, $"specified :zone argument '{text}' is not a valid timezone (using local zone)");
                    }
                }

                if (originalZone)
                {
                    context.Error(tag.Position, "the :zone and :originalzone tags are mutually exclusive");
                }
            }
            else if (tag.Name == "originalzone" && !current)
            {
                originalZone = true;
                if (zone is not null)
                {
                    context.Error(tag.Position, "the :zone and :originalzone tags are mutually exclusive");
                }
            }
            else if (!options.TryTake(tag, reader, index: !current))
            {
                reader.UnknownTag(tag);
            }
        }

        SieveString? header = current ? null : reader.String("header name");
        SieveString? part = reader.String("date part");
        SieveStringList? keys = reader.StringList("key list");
        if (!reader.Finish() || (!current && header is null) || part is null || keys is null)
        {
            return null;
        }

        if (part.IsConstant && !DateParts.IsKnown(part.Constant))
        {
            context.Error(part.Position, $"the {node.Name} test was given an unknown date part '{part.Constant}'");
            return null;
        }

        MatchSpec match = HeaderSelection.BuildMatch(options, reader, keys);
        return new DateTest(current, header, part, zone, originalZone, keys, match, options.Index, options.Last, node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        string partName = part.Evaluate(run);
        if (!DateParts.IsKnown(partName))
        {
            return false;
        }

        var values = new List<string>();
        foreach (DateTimeOffset date in Dates(run))
        {
            DateTimeOffset shown = zone is { } offset ? date.ToOffset(offset)
                : originalZone ? date
                : TimeZoneInfo.ConvertTime(date, run.Host.LocalZone);
            values.Add(DateParts.Format(partName, shown));
        }

        return match.Match(run, values, keys);
    }

    private List<DateTimeOffset> Dates(ScriptRun run)
    {
        if (current)
        {
            return [run.Host.Now];
        }

        string name = header!.Evaluate(run);
        var dates = new List<DateTimeOffset>();
        foreach (string value in HeaderSelection.Select(run.Message.GetHeaderValues(name), index, last))
        {
            string text = name.Equals("received", StringComparison.OrdinalIgnoreCase) && value.LastIndexOf(';') is >= 0 and int semicolon
                ? value[(semicolon + 1)..]
                : value;
            if (DateUtils.TryParse(text.Trim(), out DateTimeOffset date))
            {
                dates.Add(date);
            }
        }

        return dates;
    }
}
