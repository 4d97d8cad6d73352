using Mailroom.Net;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;
using Mailroom.Sieve.Storage;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>
/// SETACTIVE name (RFC 5804 §2.8): makes the script the one run at delivery (checked again first, as Pigeonhole does,
/// in case the site's extensions changed); an empty name deactivates.
/// </summary>
internal sealed class SetActiveCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (!Arguments.Expect(session, arguments, "SETACTIVE name", ArgumentKind.String))
        {
            return ValueTask.FromResult(SessionAction.Continue);
        }

        SieveScriptStore scripts = session.Context.Scripts;
        if (arguments[0].Value.Length == 0)
        {
            ScriptChange cleared = ScriptChange.Ok;
            if (Arguments.TryStorage(session, () => cleared = scripts.Activate(session.User!, "")))
            {
                session.LogChange("deactivated", "");
                Arguments.Report(session, cleared, "Setactive completed.");
            }

            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (Arguments.ScriptName(session, arguments[0]) is not { } name)
        {
            return ValueTask.FromResult(SessionAction.Continue);
        }

        byte[]? content = null;
        if (!Arguments.TryStorage(session, () => content = scripts.Read(session.User!, name)))
        {
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (content is null)
        {
            Arguments.Report(session, ScriptChange.NotFound, "");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        SieveCompilation compilation = session.Context.Compiler.Compile(name, content);
        if (!compilation.Success)
        {
            session.ReportCompilation(compilation, "");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        ScriptChange result = ScriptChange.Ok;
        if (Arguments.TryStorage(session, () => result = scripts.Activate(session.User!, name)))
        {
            if (result == ScriptChange.Ok)
            {
                session.LogChange("activated", name);
            }

            Arguments.Report(session, result, "Setactive completed.");
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
