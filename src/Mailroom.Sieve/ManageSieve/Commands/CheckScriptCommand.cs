using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>CHECKSCRIPT script (RFC 5804 §2.12): validates without storing; the errors, each with its line and column.</summary>
internal sealed class CheckScriptCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (Arguments.Expect(session, arguments, "CHECKSCRIPT script", ArgumentKind.String))
        {
            if (arguments[0].Value.Length > session.Context.Sieve.MaxScriptSize)
            {
                session.No("QUOTA/MAXSIZE", "Script is too large.");
            }
            else
            {
                session.ReportCompilation(session.Context.Compiler.Compile("script", arguments[0].Value), "Script is valid.");
            }
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
