using System.Globalization;
using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>RETR msg (RFC 1939 §5): <c>+OK n octets</c>, the byte-stuffed message, <c>.</c>.</summary>
internal sealed class RetrCommand : IPop3Command
{
    public async ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        if (!session.TryGetMessage(argument, out int number, out MaildropMessage message))
        {
            return SessionAction.Continue;
        }

        string ok = string.Create(CultureInfo.InvariantCulture, $"{message.Size} octets");
        long sent = await session.SendMessageAsync(number, message, ok, -1, cancellationToken).ConfigureAwait(false);
        if (sent >= 0)
        {
            message.Retrieved = true;
            session.Counters.RetrCount++;
            session.Counters.RetrBytes += sent;
        }

        return SessionAction.Continue;
    }
}
