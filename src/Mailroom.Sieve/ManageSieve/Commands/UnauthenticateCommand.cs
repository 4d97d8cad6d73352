using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>UNAUTHENTICATE (RFC 5804 §2.14.1): back to the non-authenticated state.</summary>
internal sealed class UnauthenticateCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (Arguments.Expect(session, arguments, "UNAUTHENTICATE"))
        {
            session.Unauthenticate();
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
