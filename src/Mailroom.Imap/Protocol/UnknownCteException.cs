namespace Mailroom.Imap.Protocol;

/// <summary>
/// BINARY asked for a part whose Content-Transfer-Encoding the server cannot decode: answer
/// "NO [UNKNOWN-CTE]" (RFC 3516 §4.3).
/// </summary>
internal sealed class UnknownCteException : Exception
{
    public UnknownCteException()
        : this("Unknown Content-Transfer-Encoding")
    {
    }

    public UnknownCteException(string message)
        : base(message)
    {
    }

    public UnknownCteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
