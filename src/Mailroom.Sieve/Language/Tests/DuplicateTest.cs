using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>duplicate [:handle h] [:header name | :uniqueid value] [:seconds n] [:last]</c> (RFC 7352): true when this unique
/// id (by default the Message-ID) was recorded by an earlier successful execution within the period. The record is
/// written only when the execution's actions succeed, and within one execution the same test answers the same.
/// </summary>
internal sealed class DuplicateTest(SieveString? handle, SieveString? header, SieveString? uniqueId, long? seconds, bool last, SourcePosition position)
    : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        SieveString? handle = null;
        SieveString? header = null;
        SieveString? uniqueId = null;
        long? seconds = null;
        bool last = false;
        while (reader.NextTag(out AstTag tag))
        {
            switch (tag.Name)
            {
                case "handle":
                    handle = reader.TagString(tag);
                    break;
                case "header" or "uniqueid":
                    SieveString? value = reader.TagString(tag);
                    if (header is not null || uniqueId is not null)
                    {
                        context.Error(tag.Position, "the :header and :uniqueid tags of the duplicate test are mutually exclusive");
                    }

                    if (tag.Name == "header")
                    {
                        header = value;
                    }
                    else
                    {
                        uniqueId = value;
                    }

                    break;
                case "seconds":
                    seconds = reader.TagNumber(tag);
                    break;
                case "last":
                    last = true;
                    break;
                default:
                    reader.UnknownTag(tag);
                    break;
            }
        }

        return reader.Finish() ? new DuplicateTest(handle, header, uniqueId, seconds, last, node.Position) : null;
    }

    public override bool Evaluate(ScriptRun run)
    {
        string? id;
        if (uniqueId is not null)
        {
            id = uniqueId.Evaluate(run);
        }
        else
        {
            string name = header?.Evaluate(run) ?? "message-id";
            // RFC 7352 §3.1: an invalid or absent field makes the test false, and nothing is recorded.
            id = HeaderSelection.IsFieldName(name) ? run.Message.GetFirstHeader(name) : null;
            if (id is null)
            {
                return false;
            }
        }

        SieveExecution execution = run.Execution;
        string key = Tracking.Key("duplicate", handle?.Evaluate(run) ?? "", id);
        if (execution.DuplicateAnswers.TryGetValue(key, out bool answer))
        {
            return answer;
        }

        bool duplicate = run.Host.IsTracked(key);
        execution.DuplicateAnswers[key] = duplicate;
        if (!duplicate || last)
        {
            SieveRuntimeSettings settings = run.Settings;
            TimeSpan period = seconds is { } s ? TimeSpan.FromSeconds(Math.Min(s, (long)settings.DuplicateMaxPeriod.TotalSeconds)) : settings.DuplicateDefaultPeriod;
            if (period > settings.DuplicateMaxPeriod)
            {
                period = settings.DuplicateMaxPeriod;
            }

            execution.Marks.Add(new TrackingMark(key, run.Host.Now + period));
        }

        return duplicate;
    }
}
