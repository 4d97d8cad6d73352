using Mailroom.Directory;

namespace Mailroom.Testing;

/// <summary>An in-memory directory of mailboxes and passwords, for the POP3 and IMAP session tests.</summary>
internal sealed class FakeLoginDirectory : IMailDirectory
{
    public Dictionary<string, string> Mailboxes { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["charlie@alpha.example.org"] = "charlie",
        ["dora@alpha.example.org"] = "explorer",
    };

    public bool Unavailable { get; set; }

    public ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken) =>
        ValueTask.FromResult(domain == "alpha.example.org");

    public ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Mailboxes.ContainsKey(address)
            ? new RecipientResolution(RecipientStatus.Resolved, [address.ToLowerInvariant()], [])
            : RecipientResolution.Unknown);

    public ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        if (Unavailable)
        {
            throw new DirectoryUnavailableException("database down");
        }

        return ValueTask.FromResult(Mailboxes.TryGetValue(userName, out string? expected) && expected == password
            ? new AuthenticationResult(true, userName.ToLowerInvariant())
            : AuthenticationResult.Failed);
    }
}
