using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Commands;

/// <summary>
/// One message's content could not be described (a fault met by some input, in parsing or formatting it). The command
/// logs it, leaves the message out and goes on: no single message may end a session.
/// </summary>
internal sealed class MessageUnreadableException : Exception
{
    public MessageUnreadableException()
        : this("The message could not be read.")
    {
    }

    public MessageUnreadableException(string message)
        : base(message)
    {
    }

    public MessageUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Whether <paramref name="exception"/> came from the content itself, rather than from I/O (answered by the
    /// session), cancellation, or an outcome the command answers (the message vanished, an unknown encoding).
    /// </summary>
    public static bool IsContentFailure(Exception exception) =>
        exception is not (OperationCanceledException or IOException or UnauthorizedAccessException or MessageGoneException
            or UnknownCteException or OutOfMemoryException);
}
