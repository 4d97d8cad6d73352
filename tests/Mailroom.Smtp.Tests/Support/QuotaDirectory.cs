using Mailroom.Directory;

namespace Mailroom.Smtp.Tests.Support;

/// <summary><see cref="FakeDirectory"/> with per-mailbox quotas (bytes; absent = unlimited).</summary>
internal sealed class QuotaDirectory : IMailDirectory, IMailboxQuotaSource
{
    public FakeDirectory Inner { get; } = new();

    public Dictionary<string, long> Quotas { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) => Inner.IsLocalDomainAsync(domain, cancellationToken);

    public ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken) => Inner.ResolveRecipientAsync(address, cancellationToken);

    public ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken) => Inner.AuthenticateAsync(userName, password, cancellationToken);

    public ValueTask<long> GetQuotaBytesAsync(string mailbox, CancellationToken cancellationToken)
    {
        if (Inner.Unavailable)
        {
            throw new DirectoryUnavailableException("database down");
        }

        return ValueTask.FromResult(Quotas.GetValueOrDefault(mailbox));
    }
}
