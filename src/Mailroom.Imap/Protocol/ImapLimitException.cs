namespace Mailroom.Imap.Protocol;

/// <summary>
/// A well-formed command asks for more than a configured limit allows (too many search keys, FETCH items, patterns).
/// The command answers <c>NO [LIMIT]</c> with <see cref="Exception.Message"/> (RFC 9051 §7.1): it is not a syntax error,
/// so it does not spend the error budget. Should a command not catch it, the session answers it as a parse error.
/// </summary>
internal sealed class ImapLimitException : ImapParseException
{
    public ImapLimitException()
        : this("Limit exceeded.")
    {
    }

    public ImapLimitException(string message)
        : base(message, "LIMIT")
    {
    }

    public ImapLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
