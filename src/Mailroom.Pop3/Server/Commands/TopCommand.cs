using System.Globalization;
using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>TOP msg n (RFC 1939 §7): the header, the blank line and n body lines. Does not mark the message seen.</summary>
internal sealed class TopCommand : IPop3Command
{
    public async ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        string[] parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            session.Err("Invalid arguments.");
            return SessionAction.Continue;
        }

        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long lines))
        {
            session.Err("Invalid number of lines: " + parts[1]);
            return SessionAction.Continue;
        }

        if (!session.TryGetMessage(parts[0], out int number, out MaildropMessage message))
        {
            return SessionAction.Continue;
        }

        long sent = await session.SendMessageAsync(number, message, "", lines, cancellationToken).ConfigureAwait(false);
        if (sent >= 0)
        {
            session.Counters.TopCount++;
            session.Counters.TopBytes += sent;
        }

        return SessionAction.Continue;
    }
}
