using Mailroom.Net;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>
/// CAPA (RFC 2449 §5): what the server offers now. USER and SASL are listed only when a login would be accepted
/// on this connection, STLS only before TLS, and none of the three after login.
/// </summary>
internal sealed class CapaCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        session.Ok("");
        session.WriteLine("CAPA");
        session.WriteLine("TOP");
        session.WriteLine("UIDL");
        session.WriteLine("RESP-CODES");
        session.WriteLine("PIPELINING");
        session.WriteLine("AUTH-RESP-CODE");
        if (session.State == Pop3State.Authorization)
        {
            if (!session.Client.IsSecure)
            {
                session.WriteLine("STLS");
            }

            if (session.LoginAllowed)
            {
                session.WriteLine("USER");
                session.WriteLine("SASL PLAIN");
            }
        }

        session.WriteLine("IMPLEMENTATION Mailroom");
        session.EndMultiline();
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
