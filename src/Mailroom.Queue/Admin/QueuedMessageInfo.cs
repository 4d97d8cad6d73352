namespace Mailroom.Queue.Admin;

/// <summary>One message in the queue as <c>mailroom queue list</c> shows it (Postfix's <c>mailq</c>).</summary>
/// <param name="Id">The queue id.</param>
/// <param name="State"><c>active</c>, <c>deferred</c> or <c>hold</c>.</param>
/// <param name="Size">Content size in bytes.</param>
/// <param name="ArrivalTime">When the message was received.</param>
/// <param name="Sender">The envelope sender (empty for bounces).</param>
/// <param name="NextAttempt">When the next delivery attempt is due, if scheduled.</param>
/// <param name="Recipients">The recipients still pending, each with the reason of its last deferral.</param>
public sealed record QueuedMessageInfo(
    string Id,
    string State,
    long Size,
    DateTimeOffset ArrivalTime,
    string Sender,
    DateTimeOffset? NextAttempt,
    IReadOnlyList<QueuedRecipientInfo> Recipients)
{
    /// <summary>The authentication results recorded on receipt (<c>spf=pass dkim=… dmarc=…</c>); null for mail from our own users.</summary>
    public string? Authentication { get; init; }

    /// <summary>DMARC asked for quarantine: local recipients get it in Junk.</summary>
    public bool Quarantine { get; init; }

    /// <summary>
    /// A content filter marked it as spam (<see cref="Mailroom.Core.Envelope.Spam"/>): local recipients who have spam-to-Junk on
    /// (their own switch, else <c>Delivery:SpamToJunk</c>) get it in their Junk folder.
    /// </summary>
    public bool Spam { get; init; }

    /// <summary>On hold because a milter quarantined it: its reason (null when held by hand or not held).</summary>
    public string? HoldReason { get; init; }
}
