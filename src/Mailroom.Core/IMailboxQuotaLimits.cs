namespace Mailroom.Core;

/// <summary>
/// Where the quota limits of mailboxes come from: the directory (postfixadmin's <c>mailbox.quota</c>, bytes). The
/// store's <see cref="IMailboxQuota"/> adds the usage to it.
/// </summary>
public interface IMailboxQuotaLimits
{
    /// <summary>
    /// The quota of the active mailbox <paramref name="mailbox"/> (lower-case <c>user@domain</c>) in bytes;
    /// 0 when unlimited or unknown.
    /// </summary>
    ValueTask<long> GetQuotaBytesAsync(string mailbox, CancellationToken cancellationToken);
}
