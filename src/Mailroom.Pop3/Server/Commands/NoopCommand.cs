using Mailroom.Net;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>NOOP (RFC 1939 §5).</summary>
internal sealed class NoopCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        session.Ok("");
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
