using System.Collections.Frozen;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>address [COMPARATOR] [ADDRESS-PART] [MATCH-TYPE] [:index n [:last]] &lt;header-list&gt; &lt;key-list&gt;</c>
/// (RFC 5228 §5.1): the addresses in the named fields. Only fields that hold addresses may be named (§5.1 requires
/// the restriction; the list is Pigeonhole's).
/// </summary>
internal sealed class AddressTest(SieveStringList headers, SieveStringList keys, MatchSpec match, AddressPart part, int index, bool last, SourcePosition position)
    : SieveTest(position)
{
    private static readonly FrozenSet<string> AllowedHeaders = new[]
    {
        "from", "to", "cc", "bcc", "sender", "resent-from", "resent-to", "reply-to", "resent-reply-to", "resent-sender",
        "resent-cc", "resent-bcc", "for-approval", "for-handling", "for-comment", "apparently-to", "errors-to", "delivered-to",
        "return-receipt-to", "x-admin", "read-receipt-to", "x-confirm-reading-to", "return-receipt-requested",
        "registered-mail-reply-requested-by", "mail-followup-to", "mail-reply-to", "abuse-reports-to", "x-complaints-to",
        "x-report-abuse-to", "x-beenthere", "x-original-from", "x-original-to",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        var options = new MatchOptions();
        while (reader.NextTag(out AstTag tag))
        {
            if (!options.TryTake(tag, reader, addressPart: true, index: true))
            {
                reader.UnknownTag(tag);
            }
        }

        SieveStringList? headers = reader.StringList("header list");
        SieveStringList? keys = reader.StringList("key list");
        if (!reader.Finish() || headers is null || keys is null)
        {
            return null;
        }

        foreach (SieveString header in headers.Items)
        {
            if (header.IsConstant && !AllowedHeaders.Contains(header.Constant))
            {
                context.Error(header.Position, $"specified header '{header.Constant}' is not allowed for the address test");
                return null;
            }
        }

        MatchSpec match = HeaderSelection.BuildMatch(options, reader, keys);
        return new AddressTest(headers, keys, match, options.Part, options.Index, options.Last, node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        var values = new List<string>();
        string delimiter = run.Settings.RecipientDelimiter;
        foreach (string name in headers.Evaluate(run))
        {
            if (!AllowedHeaders.Contains(name))
            {
                continue;
            }

            foreach (MimeKit.Header header in HeaderSelection.Select(run.Message.GetHeaders(name), index, last))
            {
                foreach (HeaderAddresses.Entry entry in HeaderAddresses.Parse(header))
                {
                    string? value = entry.Raw is not null
                        ? (part == AddressPart.All ? entry.Raw : null)
                        : AddressParts.Extract(part, entry.Local, entry.Domain, delimiter);
                    if (value is not null)
                    {
                        values.Add(value);
                    }
                }
            }
        }

        return match.Match(run, values, keys);
    }
}
