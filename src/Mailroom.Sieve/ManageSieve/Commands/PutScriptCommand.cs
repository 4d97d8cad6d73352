using Mailroom.Net;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;
using Mailroom.Sieve.Storage;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>
/// PUTSCRIPT name script (RFC 5804 §2.6): the script is checked completely (the interpreter's validator, errors with line
/// and column) and stored only when valid and within the quotas; OK (WARNINGS) when it has warnings.
/// </summary>
internal sealed class PutScriptCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (!Arguments.Expect(session, arguments, "PUTSCRIPT name script", ArgumentKind.String, ArgumentKind.String)
            || Arguments.ScriptName(session, arguments[0]) is not { } name)
        {
            return ValueTask.FromResult(SessionAction.Continue);
        }

        byte[] script = arguments[1].Value;
        if (script.Length > session.Context.Sieve.MaxScriptSize)
        {
            session.No("QUOTA/MAXSIZE", "Script is too large.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        SieveCompilation compilation = session.Context.Compiler.Compile(name, script);
        if (!compilation.Success)
        {
            session.ReportCompilation(compilation, "");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        ScriptChange result = ScriptChange.Ok;
        if (!Arguments.TryStorage(session, () => result = session.Context.Scripts.Write(session.User!, name, script)))
        {
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (result != ScriptChange.Ok)
        {
            Arguments.Report(session, result, "");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        session.LogChange("stored", name);
        session.ReportCompilation(compilation, "Putscript completed.");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
