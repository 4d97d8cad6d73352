namespace Mailroom.Directory;

/// <summary>
/// What the protocol servers ask of the directory of virtual domains, users and aliases. Implementations
/// throw <see cref="DirectoryUnavailableException"/> when the backing store cannot answer, so that callers
/// answer with a temporary failure (SMTP 451 4.3.0, POP3 [SYS/TEMP], IMAP [UNAVAILABLE]), never a 5xx.
/// </summary>
public interface IMailDirectory
{
    /// <summary>True when the domain (lower-case) is an active local domain.</summary>
    ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves a recipient address: an active mailbox, an alias (followed through chains, with loop
    /// detection and a depth limit), the base address of a plus-address (<see cref="RecipientResolution.Detail"/>),
    /// or a catch-all alias <c>@domain</c>.
    /// </summary>
    ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken);

    /// <summary>Checks a user name (the full address) and password against an active mailbox.</summary>
    ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken);
}

public enum RecipientStatus
{
    /// <summary>The domain is not local: the address is somebody else's (relaying rules apply).</summary>
    NotLocal,

    /// <summary>The domain is local but no active mailbox, alias or catch-all matches.</summary>
    Unknown,

    /// <summary>Resolved to at least one destination.</summary>
    Resolved,
}

/// <param name="Status">The outcome.</param>
/// <param name="LocalMailboxes">Local mailbox names (<c>user@domain</c>, lower-case) to deliver into.</param>
/// <param name="ExternalAddresses">Non-local addresses an alias forwards to.</param>
public sealed record RecipientResolution(
    RecipientStatus Status,
    IReadOnlyList<string> LocalMailboxes,
    IReadOnlyList<string> ExternalAddresses)
{
    /// <summary>
    /// The detail of a plus-addressed recipient resolved through its base address (<c>lists</c> for
    /// <c>samt+lists@example.org</c> reaching <c>samt@example.org</c>); null when the full address resolved.
    /// </summary>
    public string? Detail { get; init; }

    public static readonly RecipientResolution NotLocal = new(RecipientStatus.NotLocal, [], []);
    public static readonly RecipientResolution Unknown = new(RecipientStatus.Unknown, [], []);
}

/// <param name="Succeeded">True when the credentials are valid for an active mailbox in an active domain.</param>
/// <param name="UserName">The canonical mailbox name (lower-case <c>user@domain</c>) on success.</param>
public sealed record AuthenticationResult(bool Succeeded, string? UserName)
{
    public static readonly AuthenticationResult Failed = new(false, null);
}

/// <summary>The directory's backing store did not answer; the caller must fail temporarily.</summary>
public sealed class DirectoryUnavailableException : Exception
{
    public DirectoryUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public DirectoryUnavailableException()
    {
    }

    public DirectoryUnavailableException(string message)
        : base(message)
    {
    }
}
