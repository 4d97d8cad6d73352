using System.Text;
using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;
using Mailroom.Sieve.Storage;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>LISTSCRIPTS (RFC 5804 §2.7): one line per script, the active one marked ACTIVE.</summary>
internal sealed class ListScriptsCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (!Arguments.Expect(session, arguments, "LISTSCRIPTS"))
        {
            return ValueTask.FromResult(SessionAction.Continue);
        }

        IReadOnlyList<ScriptEntry> scripts = [];
        if (Arguments.TryStorage(session, () => scripts = session.Context.Scripts.List(session.User!)))
        {
            foreach (ScriptEntry script in scripts)
            {
                session.WriteScriptLine(Encoding.UTF8.GetBytes(script.Name), script.Active);
            }

            session.Ok(null, "Listscripts completed.");
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
