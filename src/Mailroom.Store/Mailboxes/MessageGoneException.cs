namespace Mailroom.Store.Mailboxes;

/// <summary>The message file disappeared (expunged by another agent such as a POP3 session or mutt).</summary>
public sealed class MessageGoneException : IOException
{
    public MessageGoneException()
        : base("The message no longer exists.")
    {
    }

    public MessageGoneException(string message)
        : base(message)
    {
    }

    public MessageGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
