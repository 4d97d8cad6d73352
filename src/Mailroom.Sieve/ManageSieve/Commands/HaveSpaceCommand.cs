using System.Globalization;
using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;
using Mailroom.Sieve.Storage;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>HAVESPACE name size (RFC 5804 §2.5): whether PUTSCRIPT of that name and size would fit the quotas.</summary>
internal sealed class HaveSpaceCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (Arguments.Expect(session, arguments, "HAVESPACE name size", ArgumentKind.String, ArgumentKind.Number)
            && Arguments.ScriptName(session, arguments[0]) is { } name)
        {
            long size = long.TryParse(arguments[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) ? parsed : long.MaxValue;
            ScriptChange result = ScriptChange.Ok;
            if (Arguments.TryStorage(session, () => result = session.Context.Scripts.CheckSpace(session.User!, name, size)))
            {
                Arguments.Report(session, result, "Putscript would succeed.");
            }
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
