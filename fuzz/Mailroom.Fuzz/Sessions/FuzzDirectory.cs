using Mailroom.Directory;

namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// The sessions' directory: example.org is local, every address there is a mailbox, and every mailbox's password is
/// <see cref="Password"/>; so a fuzzed session can log in, relay-check and deliver along the real paths.
/// </summary>
internal sealed class FuzzDirectory : IMailDirectory
{
    public const string Domain = "example.org";
    public const string User = "fuzz@example.org";
    public const string Password = "secret";

    public ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) =>
        ValueTask.FromResult(string.Equals(domain, Domain, StringComparison.OrdinalIgnoreCase));

    public ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(address.EndsWith("@" + Domain, StringComparison.OrdinalIgnoreCase)
            ? new RecipientResolution(RecipientStatus.Resolved, [address.ToLowerInvariant()], [])
            : RecipientResolution.NotLocal);

    public ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(userName.EndsWith("@" + Domain, StringComparison.OrdinalIgnoreCase) && password == Password
            ? new AuthenticationResult(true, userName.ToLowerInvariant())
            : AuthenticationResult.Failed);
}
