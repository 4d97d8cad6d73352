namespace Mailroom.Directory;

/// <summary>What local delivery does when a message would take a mailbox over its quota.</summary>
public enum QuotaExceededAction
{
    /// <summary>Fail permanently with 5.2.2 (the sender gets a bounce).</summary>
    Bounce,

    /// <summary>Fail temporarily with 4.2.2 (the queue retries until the message expires).</summary>
    Defer,
}
