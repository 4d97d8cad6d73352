using Mailroom.Queue.Delivery;

namespace Mailroom.Queue;

/// <summary>What a status sidecar records about a queued message (see <see cref="RecipientStatusFile"/>).</summary>
internal sealed class StatusSnapshot
{
    public StatusSnapshot(int recipientCount)
    {
        States = new RecipientState[recipientCount];
        LastOutcomes = new RecipientOutcome?[recipientCount];
    }

    /// <summary>One state per envelope recipient.</summary>
    public RecipientState[] States { get; }

    /// <summary>The latest outcome per recipient (the reason of a deferral, for <c>queue list</c>).</summary>
    public RecipientOutcome?[] LastOutcomes { get; }

    /// <summary>When the next attempt is due; null when never deferred (deliver at once).</summary>
    public DateTimeOffset? NextAttempt { get; set; }

    /// <summary>Attempts so far, so that the backoff keeps doubling across restarts.</summary>
    public int Attempts { get; set; }

    /// <summary>A delay warning was sent already.</summary>
    public bool Warned { get; set; }
}
