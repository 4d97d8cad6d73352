namespace Mailroom.Core.Filtering;

/// <summary>One message for one local recipient, as a filter sees it.</summary>
public sealed record FilterRequest
{
    /// <summary>The queue id, for log lines.</summary>
    public required string QueueId { get; init; }

    public required Envelope Envelope { get; init; }

    /// <summary>The recipient: <see cref="EnvelopeRecipient.Address"/> is the mailbox, <see cref="EnvelopeRecipient.Detail"/> its plus-address detail.</summary>
    public required EnvelopeRecipient Recipient { get; init; }

    /// <summary>
    /// Opens the message as received (RFC 5322 bytes, CRLF line ends, without the delivery headers), positioned at its
    /// first byte; the filter disposes each stream it opens. It may be called more than once.
    /// </summary>
    public required Func<Stream> OpenMessage { get; init; }

    public FilterPhase Phase { get; init; } = FilterPhase.Delivery;

    /// <summary>Where <c>keep</c> (and the implicit keep) stores the message: INBOX, or the folder named by the address detail.</summary>
    public string DefaultFolder { get; init; } = "INBOX";

    /// <summary>Whether a folder of the recipient exists (Sieve's <c>mailboxexists</c>, RFC 5490 §3.1); null: only INBOX is known.</summary>
    public Func<string, bool>? FolderExists { get; init; }
}
