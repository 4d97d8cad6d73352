using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>envelope [COMPARATOR] [ADDRESS-PART] [MATCH-TYPE] &lt;envelope-part&gt; &lt;key-list&gt;</c> (RFC 5228 §5.4):
/// <c>from</c> (the reverse path, "" for the null sender), <c>to</c> (the recipient with its detail), <c>auth</c>
/// (the sender's SASL identity, when it authenticated).
/// </summary>
internal sealed class EnvelopeTest(SieveStringList parts, SieveStringList keys, MatchSpec match, AddressPart part, SourcePosition position)
    : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        var options = new MatchOptions();
        while (reader.NextTag(out AstTag tag))
        {
            if (!options.TryTake(tag, reader, addressPart: true))
            {
                reader.UnknownTag(tag);
            }
        }

        SieveStringList? parts = reader.StringList("envelope part");
        SieveStringList? keys = reader.StringList("key list");
        if (!reader.Finish() || parts is null || keys is null)
        {
            return null;
        }

        foreach (SieveString envelopePart in parts.Items)
        {
            if (envelopePart.IsConstant && envelopePart.Constant.ToLowerInvariant() is not ("from" or "to" or "auth"))
            {
                context.Error(envelopePart.Position, $"specified envelope part '{envelopePart.Constant}' is not supported by the envelope test");
                return null;
            }
        }

        MatchSpec match = HeaderSelection.BuildMatch(options, reader, keys);
        return new EnvelopeTest(parts, keys, match, options.Part, node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        var values = new List<string>();
        foreach (string name in parts.Evaluate(run))
        {
            string? address = name.ToLowerInvariant() switch
            {
                "from" => run.Envelope.From,
                "to" => run.Envelope.To,
                "auth" => run.Envelope.AuthenticatedUser,
                _ => null,
            };
            if (address is null)
            {
                continue;
            }

            (string local, string domain) = ScriptRun.SplitAddress(address);
            if (AddressParts.Extract(part, local, domain, run.Settings.RecipientDelimiter) is { } value)
            {
                values.Add(value);
            }
        }

        return match.Match(run, values, keys);
    }
}
