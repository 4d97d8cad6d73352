using System.Globalization;
using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>UIDL [msg] (RFC 1939 §7): the Maildir base name, stable across sessions and never reused.</summary>
internal sealed class UidlCommand : IPop3Command
{
    public ValueTask<SessionAction> ExecuteAsync(Pop3Session session, string argument, CancellationToken cancellationToken)
    {
        if (argument.Length > 0)
        {
            if (session.TryGetMessage(argument, out int number, out MaildropMessage message))
            {
                session.Ok(string.Create(CultureInfo.InvariantCulture, $"{number} {message.UniqueId}"));
            }

            return ValueTask.FromResult(SessionAction.Continue);
        }

        IReadOnlyList<MaildropMessage> messages = session.Drop!.Messages;
        session.Ok("");
        for (int i = 0; i < messages.Count; i++)
        {
            if (!messages[i].Deleted)
            {
                session.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1} {messages[i].UniqueId}"));
            }
        }

        session.EndMultiline();
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
