using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;
using Mailroom.Sieve.Storage;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>RENAMESCRIPT old new (RFC 5804 §2.11.1): an active script stays active under the new name.</summary>
internal sealed class RenameScriptCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (Arguments.Expect(session, arguments, "RENAMESCRIPT old new", ArgumentKind.String, ArgumentKind.String)
            && Arguments.ScriptName(session, arguments[0]) is { } from
            && Arguments.ScriptName(session, arguments[1]) is { } to)
        {
            ScriptChange result = ScriptChange.Ok;
            if (Arguments.TryStorage(session, () => result = session.Context.Scripts.Rename(session.User!, from, to)))
            {
                if (result == ScriptChange.Ok)
                {
                    session.LogChange("renamed", from + "' to '" + to);
                }

                Arguments.Report(session, result, "Renamescript completed.");
            }
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
