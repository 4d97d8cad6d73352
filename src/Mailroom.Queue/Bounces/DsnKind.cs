namespace Mailroom.Queue.Bounces;

/// <summary>The three notices Postfix's bounce daemon sends, each its own message.</summary>
internal enum DsnKind
{
    /// <summary>Non-delivery: Action failed.</summary>
    Failure,

    /// <summary>Delay warning: Action delayed (RFC 3464 §2.3.3), the message is still being retried.</summary>
    Delay,

    /// <summary>Success: Action delivered (final delivery) or relayed (next hop without DSN support).</summary>
    Success,
}
