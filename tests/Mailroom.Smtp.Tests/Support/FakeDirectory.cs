using Mailroom.Directory;

namespace Mailroom.Smtp.Tests.Support;

/// <summary>An in-memory directory: domains, mailboxes with passwords and aliases.</summary>
internal sealed class FakeDirectory : IMailDirectory, ISendingLimitSource
{
    /// <summary>Users' own sending limits (absent: the defaults).</summary>
    public Dictionary<string, UserSendingLimits> SendingLimits { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask<UserSendingLimits> GetSendingLimitsAsync(string user, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        return ValueTask.FromResult(SendingLimits.GetValueOrDefault(user, UserSendingLimits.Defaults));
    }

    public HashSet<string> Domains { get; } = new(StringComparer.OrdinalIgnoreCase) { "example.org" };

    public Dictionary<string, string> Mailboxes { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["samt@example.org"] = "secret",
        ["alice@example.org"] = "wonderland",
        ["postmaster@example.org"] = "pm",
    };

    public Dictionary<string, string[]> Aliases { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["team@example.org"] = ["samt@example.org", "alice@example.org", "bob@remote.example"],
        ["sam.t@example.org"] = ["samt@example.org"],
    };

    public bool Unavailable { get; set; }

    public ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        return ValueTask.FromResult(Domains.Contains(domain));
    }

    public ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        string domain = address[(address.LastIndexOf('@') + 1)..];
        if (!Domains.Contains(domain))
        {
            return ValueTask.FromResult(RecipientResolution.NotLocal);
        }

        if (Mailboxes.ContainsKey(address))
        {
            return ValueTask.FromResult(new RecipientResolution(RecipientStatus.Resolved, [address.ToLowerInvariant()], []));
        }

        if (Aliases.TryGetValue(address, out string[]? targets))
        {
            string[] local = [.. targets.Where(t => Domains.Contains(t[(t.LastIndexOf('@') + 1)..]))];
            string[] external = [.. targets.Except(local)];
            return ValueTask.FromResult(new RecipientResolution(RecipientStatus.Resolved, local, external));
        }

        return ValueTask.FromResult(RecipientResolution.Unknown);
    }

    public ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        return ValueTask.FromResult(Mailboxes.TryGetValue(userName, out string? expected) && expected == password
            ? new AuthenticationResult(true, userName.ToLowerInvariant())
            : AuthenticationResult.Failed);
    }

    private void ThrowIfUnavailable()
    {
        if (Unavailable)
        {
            throw new DirectoryUnavailableException("database down");
        }
    }
}
