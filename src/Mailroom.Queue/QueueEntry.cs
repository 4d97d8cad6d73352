using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>
/// A committed message the queue manager knows about. Only one delivery attempt works on an entry at a
/// time (it is in the channel at most once, or waiting on its retry timer), so its fields need no lock.
/// </summary>
internal sealed class QueueEntry
{
    public QueueEntry(string id, Envelope envelope, string path, long contentOffset, long size, DateTimeOffset queuedAt, RecipientState[] states)
    {
        Id = id;
        Envelope = envelope;
        Path = path;
        ContentOffset = contentOffset;
        Size = size;
        QueuedAt = queuedAt;
        States = states;
        LastOutcomes = new Delivery.RecipientOutcome?[states.Length];
        foreach (RecipientState state in states)
        {
            if (state == RecipientState.Pending)
            {
                PendingCount++;
            }
        }
    }

    public string Id { get; }

    public Envelope Envelope { get; }

    /// <summary>The data file: <c>active/&lt;id&gt;</c> or <c>deferred/&lt;id&gt;</c>.</summary>
    public string Path { get; set; }

    /// <summary>The status sidecar next to the data file (see <see cref="RecipientStatusFile"/>).</summary>
    public string StatusPath => Path + RecipientStatusFile.Extension;

    public long ContentOffset { get; set; }

    /// <summary>
    /// Opens the content when it is held in memory (a direct delivery that never wrote a spool file); null when the
    /// content is in the data file at <see cref="Path"/>.
    /// </summary>
    public Func<Stream>? MemoryContent { get; set; }

    public long Size { get; }

    /// <summary>When the message was committed (the end of the first <c>delays=</c> figure).</summary>
    public DateTimeOffset QueuedAt { get; }

    /// <summary>One state per <see cref="Envelope.Recipients"/> entry, same index.</summary>
    public RecipientState[] States { get; }

    public int PendingCount { get; set; }

    public bool IsDeferred { get; set; }

    /// <summary>A status sidecar may exist (recovered entries, or lines appended): removal deletes it.</summary>
    public bool MayHaveStatus { get; set; }

    public int Attempts { get; set; }

    public ITimer? RetryTimer { get; set; }

    /// <summary>When the retry timer fires (persisted as the sidecar's <c>retry</c> line).</summary>
    public DateTimeOffset? NextAttempt { get; set; }

    /// <summary>The latest outcome per recipient (deferral reasons for <c>queue list</c>).</summary>
    public Delivery.RecipientOutcome?[] LastOutcomes { get; set; }

    /// <summary>A delay warning was sent.</summary>
    public bool Warned { get; set; }

    /// <summary>
    /// Held by a delivery attempt and by administrative operations (delete, hold), so that neither
    /// acts on the files while the other is using them.
    /// </summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Deleted or put on hold: attempts still in the channel or on a timer skip it.</summary>
    public bool Withdrawn { get; set; }

    /// <summary>In the delivery channel (not yet taken by a worker), so that a flush does not add it twice.</summary>
    public bool InChannel { get; set; }

    /// <summary>Recipients deferred in the current attempt, whose reasons go to the defer log.</summary>
    public List<int> Deferrals { get; } = [];

    /// <summary>Final outcomes of the current attempt that may call for a DSN.</summary>
    public List<Bounces.DsnCandidate> Notices { get; } = [];
}
