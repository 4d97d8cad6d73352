using Mailroom.Directory;

namespace Mailroom.Queue.Tests;

/// <summary>A directory in which every mailbox exists except the ones named as removed.</summary>
internal sealed class FakeDirectory(params string[] removed) : IMailDirectory
{
    public ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(removed.Contains(address, StringComparer.OrdinalIgnoreCase)
            ? RecipientResolution.Unknown
            : new RecipientResolution(RecipientStatus.Resolved, [address], []));

    public ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthenticationResult.Failed);
}
