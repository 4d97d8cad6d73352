using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;
using Mailroom.Sieve.Storage;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>GETSCRIPT name (RFC 5804 §2.9): the script as a literal, then OK.</summary>
internal sealed class GetScriptCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (!Arguments.Expect(session, arguments, "GETSCRIPT name", ArgumentKind.String) || Arguments.ScriptName(session, arguments[0]) is not { } name)
        {
            return ValueTask.FromResult(SessionAction.Continue);
        }

        byte[]? content = null;
        if (Arguments.TryStorage(session, () => content = session.Context.Scripts.Read(session.User!, name)))
        {
            if (content is null)
            {
                Arguments.Report(session, ScriptChange.NotFound, "");
            }
            else
            {
                session.WriteLiteralLine(content);
                session.Ok(null, "Getscript completed.");
            }
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
