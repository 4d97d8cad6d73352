using System.Globalization;
using System.Text.RegularExpressions;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>spamtest [:percent] [COMPARATOR] [MATCH-TYPE] &lt;value&gt;</c> and <c>virustest ...</c> (RFC 5235): the verdict
/// of the content scanner that handled the message, read from the header field it writes (configured as Pigeonhole's
/// <c>sieve_spamtest_*</c> settings), scaled to 1-10 (virustest 1-5; <c>:percent</c> 0-100), or "0" when the message was
/// not scanned. The default comparator here is <c>i;ascii-numeric</c> (RFC 5235 §3.1).
/// </summary>
internal sealed class ScoreTest(bool virus, bool percent, SieveStringList keys, MatchSpec match, SourcePosition position) : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        bool virus = node.Name == "virustest";
        var reader = new ArgumentReader(node, context, isTest: true);
        var options = new MatchOptions();
        bool percent = false;
        bool comparatorGiven = false;
        while (reader.NextTag(out AstTag tag))
        {
            if (tag.Name == "percent" && !virus && context.IsEnabled(SieveExtensions.Spamtestplus))
            {
                percent = true;
            }
            else
            {
                comparatorGiven |= tag.Name == "comparator";
                if (!options.TryTake(tag, reader))
                {
                    reader.UnknownTag(tag);
                }
            }
        }

        SieveString? value = reader.String("value");
        if (!reader.Finish() || value is null)
        {
            return null;
        }

        var keys = new SieveStringList([value], value.Position);
        MatchSpec built = HeaderSelection.BuildMatch(options, reader, keys);
        MatchSpec match = comparatorGiven ? built : new MatchSpec(ComparatorKind.AsciiNumeric, built.Kind, built.Relation, node.Position);
        if (!comparatorGiven && match.Kind is MatchKind.Contains or MatchKind.Matches or MatchKind.Regex)
        {
            context.Error(node.Position, $"the {node.Name} test uses the i;ascii-numeric comparator, which does not support that match type");
            return null;
        }

        return new ScoreTest(virus, percent, keys, match, node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        ScoreTestSettings? settings = virus ? run.Settings.VirusTest : run.Settings.SpamTest;
        string value = settings is null ? "0" : Score(run.Message, settings);
        return match.Match(run, [value], keys);
    }

    private string Score(SieveMessage message, ScoreTestSettings settings)
    {
        string? header = message.GetFirstHeader(settings.Header);
        if (header is null)
        {
            return "0";
        }

        string status = header;
        if (settings.Pattern is { } pattern)
        {
            Match found = pattern.Match(header);
            if (!found.Success || found.Groups.Count < 2)
            {
                return "0";
            }

            status = found.Groups[1].Value;
        }

        double max = settings.Type == ScoreStatusType.Text ? (virus ? 5 : 10) : settings.MaxValue;
        double score;
        switch (settings.Type)
        {
            case ScoreStatusType.Score:
                if (!double.TryParse(status.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out score))
                {
                    return "0";
                }

                break;
            case ScoreStatusType.Strlen:
                score = status.Trim().Length;
                break;
            default:
                if (!settings.TextValues.TryGetValue(status.Trim(), out int level))
                {
                    return "0";
                }

                score = level;
                break;
        }

        if (max <= 0)
        {
            return "0";
        }

        double ratio = Math.Clamp(score / max, 0, 1);
        int result = percent ? (int)((ratio * 100) + 0.001)
            : virus ? (int)((ratio * 4) + 1.001)
            : (int)((ratio * 9) + 1.001);
        return result.ToString(CultureInfo.InvariantCulture);
    }
}
