namespace Mailroom.Core;

/// <summary>
/// Everything the queue must remember about a message besides its content: the SMTP envelope, the DSN
/// parameters of RFC 3461 and where the message came from (for trace headers and the mail log).
/// </summary>
public sealed record Envelope
{
    /// <summary>The reverse path; empty for the null sender <c>&lt;&gt;</c> (bounces).</summary>
    public required string Sender { get; init; }

    public required IReadOnlyList<EnvelopeRecipient> Recipients { get; init; }

    /// <summary>RFC 3461 §4.3 RET: whether a DSN carries the full message or only its headers.</summary>
    public DsnReturn Return { get; init; } = DsnReturn.Unspecified;

    /// <summary>RFC 3461 §4.4 ENVID, as xtext-decoded text; null when absent.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>RFC 6152 BODY=8BITMIME or RFC 3030 BODY=BINARYMIME was declared.</summary>
    public BodyType BodyType { get; init; } = BodyType.SevenBit;

    /// <summary>RFC 6531 SMTPUTF8 was requested on MAIL FROM.</summary>
    public bool SmtpUtf8 { get; init; }

    public required DateTimeOffset ArrivalTime { get; init; }

    /// <summary>The client's host name as resolved, or <c>unknown</c>.</summary>
    public string ClientName { get; init; } = "unknown";

    /// <summary>The client's IP address as text (<c>127.0.0.1</c>, <c>::1</c>).</summary>
    public string ClientAddress { get; init; } = "";

    public string? Helo { get; init; }

    /// <summary><c>SMTP</c>, <c>ESMTP</c>, <c>ESMTPS</c>, <c>ESMTPSA</c>… (RFC 3848), or <c>local</c> for bounces.</summary>
    public string Protocol { get; init; } = "ESMTP";

    /// <summary>The SASL identity of an authenticated submission; null otherwise.</summary>
    public string? AuthenticatedUser { get; init; }

    /// <summary>
    /// The authentication results of a message received from an unauthenticated, untrusted client
    /// (<c>spf=pass dkim=pass(example.org) dmarc=pass(example.org) arc=none</c>); null for mail from submission,
    /// trusted networks or this server itself. Outbound signing takes the From domain's key only when it is null.
    /// </summary>
    public string? Authentication { get; init; }

    /// <summary>DMARC asked for quarantine (RFC 7489 §6.3): local delivery files the message in the Junk folder.</summary>
    public bool Quarantine { get; init; }

    /// <summary>
    /// A content filter marked the message as spam (one of <c>Smtp:SpamHeaders</c>): local delivery files it in the Junk
    /// folder of each recipient who has that on (<c>mailbox.spam_to_junk</c>, else <c>Delivery:SpamToJunk</c>), in INBOX
    /// (through the user's filter) for the others.
    /// </summary>
    public bool Spam { get; init; }

    /// <summary>Why a milter put the message on hold (its quarantine reason), shown by <c>mailroom queue list</c>; null otherwise.</summary>
    public string? HoldReason { get; init; }
}

public sealed record EnvelopeRecipient
{
    /// <summary>The address to deliver to, after alias expansion.</summary>
    public required string Address { get; init; }

    /// <summary>The address as the client gave it in RCPT TO (before alias expansion).</summary>
    public required string OriginalAddress { get; init; }

    /// <summary>
    /// The detail of a plus-addressed recipient that reached the local mailbox <see cref="Address"/> through its base
    /// address (<c>lists</c> of <c>samt+lists@example.org</c>, RFC 5233); null when the address had none.
    /// </summary>
    public string? Detail { get; init; }

    /// <summary>Local mailbox or somewhere else; decided at RCPT time from the directory.</summary>
    public required RecipientRoute Route { get; init; }

    /// <summary>RFC 3461 §4.1 NOTIFY; <see cref="DsnNotify.Unspecified"/> when absent.</summary>
    public DsnNotify Notify { get; init; } = DsnNotify.Unspecified;

    /// <summary>RFC 3461 §4.2 ORCPT as <c>addr-type;xtext</c> (e.g. <c>rfc822;bob@example.org</c>); null when absent.</summary>
    public string? OriginalRecipientParameter { get; init; }
}

public enum RecipientRoute
{
    /// <summary>A mailbox in this server's store; <see cref="EnvelopeRecipient.Address"/> is the mailbox name.</summary>
    Local,

    /// <summary>Anywhere else: delivered by the outbound agent.</summary>
    Remote,
}

public enum DsnReturn
{
    Unspecified,
    Full,
    Headers,
}

[Flags]
public enum DsnNotify
{
    Unspecified = 0,
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}

public enum BodyType
{
    SevenBit,
    EightBitMime,
    BinaryMime,
}
