namespace Mailroom.Queue.Delivery.Remote;

/// <summary>Every RCPT TO of a transaction was refused; the replies are in <see cref="RelayClient.Refused"/>.</summary>
internal sealed class NoRecipientsAcceptedException : Exception
{
    public NoRecipientsAcceptedException()
        : base("no recipient was accepted")
    {
    }

    public NoRecipientsAcceptedException(string message)
        : base(message)
    {
    }

    public NoRecipientsAcceptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
