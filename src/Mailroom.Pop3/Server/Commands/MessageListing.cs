using System.Globalization;
using Mailroom.Net;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server.Commands;

/// <summary>
/// The shape LIST and UIDL share (RFC 1939 §5, §7): with an argument, one "+OK n value" line for that message;
/// without, a multi-line listing of "n value" for every message not marked deleted.
/// </summary>
internal static class MessageListing
{
    public static ValueTask<SessionAction> Answer(Pop3Session session, string argument, Func<IReadOnlyList<MaildropMessage>, string> header, Func<MaildropMessage, string> value)
    {
        if (argument.Length > 0)
        {
            if (session.TryGetMessage(argument, out int number, out MaildropMessage message))
            {
                session.Ok(string.Create(CultureInfo.InvariantCulture, $"{number} {value(message)}"));
            }

            return ValueTask.FromResult(SessionAction.Continue);
        }

        IReadOnlyList<MaildropMessage> messages = session.Drop!.Messages;
        session.Ok(header(messages));
        for (int i = 0; i < messages.Count; i++)
        {
            if (!messages[i].Deleted)
            {
                session.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1} {value(messages[i])}"));
            }
        }

        session.EndMultiline();
        return ValueTask.FromResult(SessionAction.Continue);
    }
}
