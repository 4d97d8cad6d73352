using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>RSET (RFC 5321 §4.1.1.5): abort the transaction, including a BDAT message in progress.</summary>
internal sealed class RsetCommand : ISmtpCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        if (argument.Length > 0)
        {
            session.Reply(SmtpReplies.NoArguments);
            return SessionAction.Continue;
        }

        await session.AbortTransactionAsync().ConfigureAwait(false);
        session.Reply(SmtpReplies.Ok);
        return SessionAction.Continue;
    }
}
