namespace Mailroom.Directory;

/// <summary>
/// A user's own choice of where spam-marked mail goes, kept in the directory beside the mailbox (Mailroom's column
/// <c>mailbox.spam_to_junk</c>, which postfixadmin's schema lacks: there, everyone has the configured default).
/// Separate from <see cref="IMailDirectory"/> so test fakes need not implement it.
/// </summary>
public interface ISpamToJunkSource
{
    /// <summary>
    /// True: the Junk folder; false: INBOX; null: the configured default. Throws <see cref="DirectoryUnavailableException"/>
    /// when the database did not answer.
    /// </summary>
    ValueTask<bool?> GetSpamToJunkAsync(string user, CancellationToken cancellationToken);
}
