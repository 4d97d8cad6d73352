namespace Mailroom.Imap.Protocol;

/// <summary>
/// A command is well-formed but cannot be carried out as asked (a mailbox name that is valid syntax but not valid
/// modified UTF-7, RFC 3501 §5.1.3): the session answers a tagged <c>NO</c>, not the <c>BAD</c> of a syntax error.
/// <see cref="Exception.Message"/> is the reply's text; <see cref="ResponseCode"/>, when set, goes in brackets before it.
/// </summary>
internal sealed class ImapRefusalException : Exception
{
    public ImapRefusalException()
        : this("Command refused.")
    {
    }

    public ImapRefusalException(string message)
        : base(message)
    {
    }

    public ImapRefusalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImapRefusalException(string message, string? responseCode)
        : base(message)
    {
        ResponseCode = responseCode;
    }

    /// <summary>The response code without brackets, or null.</summary>
    public string? ResponseCode { get; }
}
