namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>SORT or THREAD named a charset other than US-ASCII or UTF-8 (answered <c>NO [BADCHARSET ...]</c>, RFC 5256 §3).</summary>
internal sealed class UnsupportedCharsetException : Exception
{
    public UnsupportedCharsetException()
        : this("Unsupported charset")
    {
    }

    public UnsupportedCharsetException(string message)
        : base(message)
    {
    }

    public UnsupportedCharsetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
