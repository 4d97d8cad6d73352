using Mailroom.Net;
using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>
/// STARTTLS (RFC 5804 §2.2): OK, then the loop discards any pipelined plaintext and runs the handshake; the session then
/// issues its capabilities again.
/// </summary>
internal sealed class StartTlsCommand : IManageSieveCommand
{
    public ValueTask<SessionAction> ExecuteAsync(ManageSieveSession session, IReadOnlyList<Argument> arguments, CancellationToken cancellationToken)
    {
        if (!Arguments.Expect(session, arguments, "STARTTLS"))
        {
            return ValueTask.FromResult(SessionAction.Continue);
        }

        if (session.Client.IsSecure)
        {
            session.Invalid("TLS is already active.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        session.Ok(null, "Begin TLS negotiation now.");
        return ValueTask.FromResult(SessionAction.StartTls);
    }
}
