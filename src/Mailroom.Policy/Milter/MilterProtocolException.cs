namespace Mailroom.Policy.Milter;

/// <summary>A milter broke the protocol (oversized or malformed packet, unexpected reply): the default action applies.</summary>
public sealed class MilterProtocolException : Exception
{
    public MilterProtocolException()
    {
    }

    public MilterProtocolException(string message)
        : base(message)
    {
    }

    public MilterProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
