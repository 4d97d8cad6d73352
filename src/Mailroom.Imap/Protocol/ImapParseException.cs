namespace Mailroom.Imap.Protocol;

/// <summary>
/// A command is malformed. <see cref="Exception.Message"/> is the human-readable text of the tagged "BAD" reply;
/// <see cref="ResponseCode"/>, when set, is the response code to put in brackets before it
/// (e.g. <c>BADCHARSET (UTF-8 US-ASCII)</c>, RFC 9051 §7.1).
/// </summary>
internal class ImapParseException : Exception
{
    public ImapParseException()
        : this("Syntax error")
    {
    }

    public ImapParseException(string message)
        : base(message)
    {
    }

    public ImapParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImapParseException(string message, string? responseCode)
        : base(message)
    {
        ResponseCode = responseCode;
    }

    /// <summary>The response code without brackets, or null.</summary>
    public string? ResponseCode { get; }
}
