using Mailroom.Net;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>
/// QUIT (RFC 1939 §6): in the TRANSACTION state it enters UPDATE, where (and only where) messages marked deleted are
/// removed; a connection that drops without QUIT deletes nothing.
/// </summary>
internal sealed class QuitCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        if (session.State != Pop3State.Transaction)
        {
            session.Ok("Logging out.");
            return ValueTask.FromResult(SessionAction.Close);
        }

        int failures = session.EnterUpdate();
        if (failures > 0)
        {
            // RFC 1939 §6: "-ERR some deleted messages not removed".
            session.Err("[SYS/TEMP] Some deleted messages were not removed.");
        }
        else
        {
            session.Ok(session.Counters.Deleted > 0 ? "Logging out, messages deleted." : "Logging out.");
        }

        return ValueTask.FromResult(SessionAction.Close);
    }
}
