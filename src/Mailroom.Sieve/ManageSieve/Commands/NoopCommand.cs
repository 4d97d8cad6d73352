using System.Text;
using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>NOOP [tag] (RFC 5804 §2.15): OK, echoing the tag in a TAG response code.</summary>
internal sealed class NoopCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (arguments.Count == 0)
        {
            session.Ok(null, "NOOP completed.");
        }
        else if (Arguments.Expect(session, arguments, "NOOP [tag]", ArgumentKind.String) && arguments[0].Text is { Length: <= 1024 } tag
            && !tag.AsSpan().ContainsAny('\r', '\n'))
        {
            var code = new StringBuilder("TAG \"");
            foreach (char c in tag)
            {
                code.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
            }

            session.Ok(code.Append('"').ToString(), "Done");
        }
        else if (arguments.Count == 1 && arguments[0].Kind == ArgumentKind.String)
        {
            session.Invalid("Invalid tag.");
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
