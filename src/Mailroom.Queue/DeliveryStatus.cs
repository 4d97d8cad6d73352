namespace Mailroom.Queue;

/// <summary>The outcome of one delivery attempt to one recipient (Postfix's <c>status=</c>).</summary>
public enum DeliveryStatus
{
    /// <summary>Delivered; the recipient is done.</summary>
    Sent,

    /// <summary>Temporary failure; the queue retries later.</summary>
    Deferred,

    /// <summary>Permanent failure; the recipient is done and the sender is to be notified.</summary>
    Bounced,
}
