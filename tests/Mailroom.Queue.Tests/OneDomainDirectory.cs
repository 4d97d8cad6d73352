using Mailroom.Directory;

namespace Mailroom.Queue.Tests;

/// <summary>A directory with one local domain whose every address is a mailbox; other domains are not local.</summary>
internal sealed class OneDomainDirectory(string domain) : IMailDirectory
{
    public ValueTask<bool> IsLocalDomainAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(name.Equals(domain, StringComparison.OrdinalIgnoreCase));

    public ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(address.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase)
            ? new RecipientResolution(RecipientStatus.Resolved, [address], [])
            : RecipientResolution.NotLocal);

    public ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthenticationResult.Failed);
}
