namespace Mailroom.Queue.Delivery;

/// <summary>The result of one delivery attempt to one recipient, with Postfix's log wording.</summary>
internal readonly record struct RecipientOutcome(DeliveryStatus Status, string Dsn, string Text)
{
    public static readonly RecipientOutcome Delivered = new(DeliveryStatus.Sent, "2.0.0", "delivered to mailbox");
}
