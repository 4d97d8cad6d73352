using Mailroom.Net;

namespace Mailroom.Pop3.Server;

/// <summary>One POP3 command (one per file in <c>Commands/</c>), run only in the states its table entry allows.</summary>
internal interface IPop3Command
{
    ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken);
}
