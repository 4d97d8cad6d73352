using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>require &lt;capabilities: string-list&gt;</c> (RFC 5228 §3.2): validated only, nothing runs. An unknown or
/// unavailable capability fails the script. <c>vacation-seconds</c> brings <c>vacation</c> (RFC 6131 §2) and
/// <c>spamtestplus</c> brings <c>spamtest</c> (RFC 5235 §3.2).
/// </summary>
internal static class RequireCommand
{
    public static void Validate(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        if (reader.NextTag(out AstTag tag))
        {
            reader.UnknownTag(tag);
        }

        if (reader.StringList("capabilities") is not { } list || !reader.Finish())
        {
            return;
        }

        foreach (SieveString item in list.Items)
        {
            string capability = item.Constant;
            if (!SieveExtensions.IsKnown(capability) || !context.IsAvailable(capability))
            {
                context.Error(item.Position, $"require command: unknown Sieve capability '{capability}'");
                continue;
            }

            context.Required.Add(capability);
            if (capability == SieveExtensions.VacationSeconds)
            {
                context.Required.Add(SieveExtensions.Vacation);
            }
            else if (capability == SieveExtensions.Spamtestplus)
            {
                context.Required.Add(SieveExtensions.Spamtest);
            }
        }
    }
}
