using Mailroom.Core;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;
using MimeKit;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>redirect [:copy] &lt;address&gt;</c> (RFC 5228 §4.2, RFC 3894): send the message on. The address is checked when
/// the script is validated if it is constant, otherwise when the command runs (an invalid one fails the run).
/// </summary>
internal sealed class RedirectCommand(SieveString address, bool copy, SourcePosition position) : SieveCommand(position)
{
    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        bool copy = false;
        while (reader.NextTag(out AstTag tag))
        {
            if (tag.Name == "copy" && context.IsEnabled(SieveExtensions.Copy))
            {
                copy = true;
            }
            else
            {
                reader.UnknownTag(tag);
            }
        }

        SieveString? address = reader.String("address");
        if (!reader.Finish() || address is null)
        {
            return null;
        }

        if (address.IsConstant && Normalize(address.Constant, out string? error) is null)
        {
            context.Error(address.Position, $"specified redirect address '{address.Constant}' is invalid: {error}");
            return null;
        }

        return new RedirectCommand(address, copy, node.Position);
    }

    public override Flow Execute(ScriptRun run)
    {
        string text = address.Evaluate(run);
        string normalized = Normalize(text, out string? error)
            ?? throw new SieveRuntimeException(Position, $"specified redirect address '{text}' is invalid: {error}");
        run.Result.AddRedirect(new RedirectMessageAction(run.Script.Name, Position, normalized, copy));
        return Flow.Next;
    }

    /// <summary>The addr-spec of <c>user@domain</c>, <c>&lt;user@domain&gt;</c> or <c>Name &lt;user@domain&gt;</c>; null when invalid.</summary>
    public static string? Normalize(string text, out string? error)
    {
        error = null;
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = "empty address";
            return null;
        }

        string candidate = trimmed;
        if (trimmed.Contains('<', StringComparison.Ordinal) || trimmed.Contains(' ', StringComparison.Ordinal))
        {
            if (!MailboxAddress.TryParse(ParserOptions.Default, trimmed, out MailboxAddress? mailbox))
            {
                error = "invalid address syntax";
                return null;
            }

            candidate = mailbox.Address;
        }

        if (!EmailAddress.TryParse(candidate, out EmailAddress? parsed))
        {
            error = candidate.Contains('@', StringComparison.Ordinal) ? "invalid address syntax" : "missing domain";
            return null;
        }

        return parsed!.ToString();
    }
}
