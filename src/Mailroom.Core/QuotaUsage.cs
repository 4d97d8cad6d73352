namespace Mailroom.Core;

/// <summary>The storage a mailbox uses and the most it may use.</summary>
/// <param name="UsedBytes">The size of every message in every folder of the mailbox (measured only when it has a quota; 0 otherwise).</param>
/// <param name="LimitBytes">The quota in bytes; 0 when the mailbox has none.</param>
public readonly record struct QuotaUsage(long UsedBytes, long LimitBytes)
{
    /// <summary>Whether the mailbox has a quota at all.</summary>
    public bool IsLimited => LimitBytes > 0;

    /// <summary>At or past its quota: not even a small message fits (SMTP RCPT, before the size is known).</summary>
    public bool IsFull => IsLimited && UsedBytes >= LimitBytes;

    /// <summary>Whether adding <paramref name="bytes"/> more would pass the quota (DATA, delivery, APPEND, COPY).</summary>
    public bool WouldExceed(long bytes) => IsLimited && UsedBytes + bytes > LimitBytes;
}
