using Mailroom.Core;

namespace Mailroom.Smtp.Tests.Support;

/// <summary>
/// The quota as SMTP sees it (<see cref="IMailboxQuota"/>): limits from a directory, and usages the test sets (the
/// store's measuring is the store's tests' business). A limit of 0 means no quota, as the store's quota has it.
/// </summary>
internal sealed class FixedUsageQuota(IMailboxQuotaLimits limits) : IMailboxQuota
{
    public Dictionary<string, long> UsedBytes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask<QuotaUsage> GetUsageAsync(string mailbox, CancellationToken cancellationToken)
    {
        long limit = await limits.GetQuotaBytesAsync(mailbox, cancellationToken);
        return limit > 0 ? new QuotaUsage(UsedBytes.GetValueOrDefault(mailbox), limit) : default;
    }
}
