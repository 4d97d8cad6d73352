using System.Globalization;
using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Server;

/// <summary>Message numbers (RFC 1939 §4: 1-based, deleted ones refused) and sending message content.</summary>
internal sealed partial class Pop3Session
{
    /// <summary>Parses a message number and answers the <c>-ERR</c> itself when it names no live message.</summary>
    public bool TryGetMessage(string argument, out int number, out MaildropMessage message)
    {
        message = null!;
        if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1)
        {
            Err("Invalid message number: " + argument);
            return false;
        }

        IReadOnlyList<MaildropMessage> messages = Drop!.Messages;
        if (number > messages.Count)
        {
            Err(string.Create(CultureInfo.InvariantCulture, $"There's no message {number}."));
            return false;
        }

        message = messages[number - 1];
        if (message.Deleted)
        {
            Err("Message is deleted.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Sends a message as a multi-line response after <paramref name="okText"/>, streaming its content; -1 lines for
    /// the whole message (RETR). Returns the bytes sent (before stuffing), or -1 when the message is gone (answered).
    /// </summary>
    public async ValueTask<long> SendMessageAsync(int number, MaildropMessage message, string okText, long bodyLines, CancellationToken cancellationToken)
    {
        Stream content;
        try
        {
            content = Drop!.Open(message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Removed since login by another program, or past the store's bound of held messages; or unreadable.
            Pop3Log.MessageReadFailed(Context.Diagnostics, ex, Mailbox!, number);
            Err("[SYS/TEMP] Message is no longer available.");
            return -1;
        }

        using (content)
        {
            Ok(okText);
            var sender = new MessageSender(Output, bodyLines);
            Connection.Trace?.BeginServerSummary("message body");
            try
            {
                await sender.SendAsync(content, RestartIdleTimer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Connection.Trace?.EndServerSummary();
            }

            return sender.Sent;
        }
    }
}
