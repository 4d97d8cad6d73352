using System.Globalization;
using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>LIST [msg] (RFC 1939 §5): sizes as RETR will send them; deleted messages are not listed.</summary>
internal sealed class ListCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        if (argument.Length > 0)
        {
            if (session.TryGetMessage(argument, out int number, out MaildropMessage message))
            {
                session.Ok(string.Create(CultureInfo.InvariantCulture, $"{number} {message.Size}"));
            }

            return ValueTask.FromResult(SessionAction.Continue);
        }

        IReadOnlyList<MaildropMessage> messages = session.Drop!.Messages;
        int live = messages.Count(static m => !m.Deleted);
        session.Ok(string.Create(CultureInfo.InvariantCulture, $"{live} messages:"));
        for (int i = 0; i < messages.Count; i++)
        {
            if (!messages[i].Deleted)
            {
                session.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1} {messages[i].Size}"));
            }
        }

        session.EndMultiline();
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
