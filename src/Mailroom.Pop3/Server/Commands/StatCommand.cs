using System.Globalization;
using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>STAT (RFC 1939 §5): count and octets of the messages not marked deleted.</summary>
internal sealed class StatCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        int count = 0;
        long size = 0;
        foreach (MaildropMessage message in session.Drop!.Messages)
        {
            if (!message.Deleted)
            {
                count++;
                size += message.Size;
            }
        }

        session.Ok(string.Create(CultureInfo.InvariantCulture, $"{count} {size}"));
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
