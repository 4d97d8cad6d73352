namespace Mailroom.Core;

/// <summary>
/// The storage quota of local mailboxes as every component asks it: SMTP at RCPT and DATA, local delivery, IMAP
/// APPEND/COPY and GETQUOTA. Implemented once, by the mail store, which measures the usage (and caches it) and takes
/// the limit from an <see cref="IMailboxQuotaLimits"/>.
/// </summary>
public interface IMailboxQuota
{
    /// <summary>
    /// What <paramref name="mailbox"/> (<c>user@domain</c>) uses and may use, in bytes. When the limit source cannot
    /// answer, its exception (the directory's <c>DirectoryUnavailableException</c>) passes through.
    /// </summary>
    /// <exception cref="ArgumentException">The name cannot be a mailbox.</exception>
    /// <exception cref="IOException">The usage could not be measured.</exception>
    ValueTask<QuotaUsage> GetUsageAsync(string mailbox, CancellationToken cancellationToken);
}
