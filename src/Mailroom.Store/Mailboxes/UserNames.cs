namespace Mailroom.Store.Mailboxes;

/// <summary>How every store names a user: <c>user@domain</c>, case-folded; neither part empty, dotted first or with a path separator.</summary>
internal static class UserNames
{
    /// <summary>The case-folded parts of <paramref name="user"/>.</summary>
    /// <exception cref="ArgumentException">The name is not <c>user@domain</c> or could not be stored safely.</exception>
    public static (string Local, string Domain) Split(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        int at = user.LastIndexOf('@');
        if (at <= 0 || at == user.Length - 1)
        {
            throw new ArgumentException($"'{user}' is not a mailbox name of the form user@domain.", nameof(user));
        }

        string local = user[..at].ToLowerInvariant();
        string domain = user[(at + 1)..].ToLowerInvariant();
        if (!IsSafeSegment(local) || !IsSafeSegment(domain))
        {
            throw new ArgumentException($"'{user}' cannot be stored as a mailbox.", nameof(user));
        }

        return (local, domain);
    }

    private static bool IsSafeSegment(string segment) =>
        segment.Length > 0 && segment[0] != '.' && segment.IndexOfAny(['/', '\\', '\0']) < 0;
}
