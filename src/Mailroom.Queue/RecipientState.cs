namespace Mailroom.Queue;

/// <summary>Where one recipient of a queued message stands.</summary>
internal enum RecipientState : byte
{
    /// <summary>Not delivered yet (never tried, or deferred).</summary>
    Pending,

    /// <summary>Delivered.</summary>
    Sent,

    /// <summary>Failed permanently.</summary>
    Bounced,
}
