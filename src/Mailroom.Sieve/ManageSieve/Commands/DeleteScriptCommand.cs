using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;
using Mailroom.Sieve.Storage;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>DELETESCRIPT name (RFC 5804 §2.10): not the active one (NO (ACTIVE)).</summary>
internal sealed class DeleteScriptCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (Arguments.Expect(session, arguments, "DELETESCRIPT name", ArgumentKind.String) && Arguments.ScriptName(session, arguments[0]) is { } name)
        {
            ScriptChange result = ScriptChange.Ok;
            if (Arguments.TryStorage(session, () => result = session.Context.Scripts.Delete(session.User!, name)))
            {
                if (result == ScriptChange.Ok)
                {
                    session.LogChange("deleted", name);
                }

                Arguments.Report(session, result, "Deletescript completed.");
            }
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
