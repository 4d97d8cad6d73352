using Mailroom.Net;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>
/// STLS (RFC 2595 §4): <c>+OK</c>, then the loop discards any pipelined plaintext, runs the handshake and calls
/// OnTlsStarted, which forgets a USER name given before.
/// </summary>
internal sealed class StlsCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        if (session.Client.IsSecure)
        {
            session.Err("TLS is already active.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        session.Ok("Begin TLS negotiation now.");
        return ValueTask.FromResult(SessionAction.StartTls);
    }
}
