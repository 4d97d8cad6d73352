using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>
/// Delivers a queued message to recipients that are not local (MX lookup, SMTP client). Register one in
/// DI to enable remote delivery; without it remote recipients stay deferred in the queue
/// (<c>dsn=4.4.1, status=deferred (no route to remote destinations configured)</c>).
/// </summary>
public interface IRemoteDeliveryAgent
{
    /// <summary>
    /// Attempts delivery to <paramref name="recipients"/> (all with <see cref="RecipientRoute.Remote"/>, not
    /// yet delivered). Returns one result per recipient, in the same order. The queue writes the
    /// <c>to=&lt;…&gt;, relay=…, status=…</c> mail-log line from each result, so the agent does not.
    /// Temporary problems are results with <see cref="DeliveryStatus.Deferred"/>; an exception defers every
    /// recipient of this call.
    /// </summary>
    ValueTask<IReadOnlyList<RemoteDeliveryResult>> DeliverAsync(QueuedMessage message, IReadOnlyList<EnvelopeRecipient> recipients, CancellationToken cancellationToken);
}
