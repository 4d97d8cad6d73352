using Mailroom.Net;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>USER (RFC 1939 §7): remembers the name for PASS; refused before TLS unless plaintext login is allowed.</summary>
internal sealed class UserCommand : IPop3Command
{
    internal const string PlaintextDisallowed = "[AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";

    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        if (!session.LoginAllowed)
        {
            session.Err(PlaintextDisallowed);
        }
        else if (argument.Length == 0)
        {
            session.Err("No username given.");
        }
        else
        {
            session.PendingUser = argument;
            session.Ok("");
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
