namespace Mailroom.Directory;

/// <summary>
/// A mailbox's storage quota, as postfixadmin keeps it (<c>mailbox.quota</c>, bytes). Separate from
/// <see cref="IMailDirectory"/> so directories without quotas (and test fakes) need not implement it.
/// </summary>
public interface IMailboxQuotaSource
{
    /// <summary>
    /// The quota of the active mailbox <paramref name="mailbox"/> (lower-case <c>user@domain</c>) in bytes;
    /// 0 when unlimited or unknown.
    /// </summary>
    /// <exception cref="DirectoryUnavailableException">The database did not answer.</exception>
    ValueTask<long> GetQuotaBytesAsync(string mailbox, CancellationToken cancellationToken);

    /// <summary>What local delivery does with a message that would pass the quota (<c>Directory:QuotaExceeded</c>).</summary>
    QuotaExceededAction QuotaExceeded => QuotaExceededAction.Bounce;
}
