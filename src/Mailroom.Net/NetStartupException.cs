namespace Mailroom.Net;

/// <summary>
/// A configuration or environment problem that prevents the network layer from starting (a port that cannot be
/// bound, an unreadable certificate). The message is written for the administrator and names the setting to change;
/// the host prints it and exits.
/// </summary>
public sealed class NetStartupException : Exception
{
    public NetStartupException()
    {
    }

    public NetStartupException(string message)
        : base(message)
    {
    }

    public NetStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
