namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// What one message may cost to parse and describe (from <see cref="ImapOptions"/>): MIME nesting, MIME parts, and
/// addresses per ENVELOPE address list. Past the first two the rest of the message is treated as content, as
/// RFC 2046 allows a reader to; past the third the list is cut.
/// </summary>
internal sealed record MessageLimits(int MaxMimeDepth, int MaxMimeParts, int MaxEnvelopeAddresses)
{
    public static MessageLimits Default { get; } = From(new ImapOptions());

    public static MessageLimits From(ImapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MessageLimits(options.MaxMimeDepth, options.MaxMimeParts, options.MaxEnvelopeAddresses);
    }
}
