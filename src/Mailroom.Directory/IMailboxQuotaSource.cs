using Mailroom.Core;

namespace Mailroom.Directory;

/// <summary>
/// A mailbox's storage quota, as postfixadmin keeps it (<c>mailbox.quota</c>, bytes; see
/// <see cref="IMailboxQuotaLimits.GetQuotaBytesAsync"/>, which throws <see cref="DirectoryUnavailableException"/>
/// when the database did not answer), and what delivery does past it. Separate from <see cref="IMailDirectory"/> so
/// directories without quotas (and test fakes) need not implement it.
/// </summary>
public interface IMailboxQuotaSource : IMailboxQuotaLimits
{
    /// <summary>What local delivery does with a message that would pass the quota (<c>Directory:QuotaExceeded</c>).</summary>
    QuotaExceededAction QuotaExceeded => QuotaExceededAction.Bounce;
}
