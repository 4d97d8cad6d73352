using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>LOGOUT (RFC 5804 §2.3): OK, then the server closes the connection.</summary>
internal sealed class LogoutCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        session.Ok(null, "Logout completed.");
        return ValueTask.FromResult(SessionAction.Close);
    }
}
