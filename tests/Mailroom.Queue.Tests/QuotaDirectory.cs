using Mailroom.Directory;

namespace Mailroom.Queue.Tests;

/// <summary>Every address is a local mailbox; quotas in bytes per mailbox, and what to do when one is exceeded.</summary>
internal sealed class QuotaDirectory(QuotaExceededAction action, params (string Mailbox, long Bytes)[] quotas) : IMailDirectory, IMailboxQuotaSource
{
    public QuotaExceededAction QuotaExceeded => action;

    public ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new RecipientResolution(RecipientStatus.Resolved, [address], []));

    public ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthenticationResult.Failed);

    public ValueTask<long> GetQuotaBytesAsync(string mailbox, CancellationToken cancellationToken) =>
        ValueTask.FromResult(quotas.FirstOrDefault(q => q.Mailbox == mailbox).Bytes);
}
