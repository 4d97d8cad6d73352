using Mailroom.Net;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>PASS (RFC 1939 §7): the whole rest of the line is the password (it may contain spaces).</summary>
internal sealed class PassCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        if (!session.LoginAllowed)
        {
            session.Err(UserCommand.PlaintextDisallowed);
            return ValueTask.FromResult(SessionAction.Continue);
        }

        string? user = session.PendingUser;
        if (user is null)
        {
            session.Err("No username given.");
            return ValueTask.FromResult(SessionAction.Continue);
        }

        // RFC 1939 §7: a failed PASS returns to the start of the AUTHORIZATION state, USER included.
        session.PendingUser = null;
        return session.LoginAsync(user, argument, "PLAIN", cancellationToken);
    }
}
