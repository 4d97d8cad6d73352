namespace Mailroom.Directory;

/// <summary>
/// A user's own hourly sending limits, kept in the directory beside the mailbox (Mailroom's columns
/// <c>mailbox.messages_per_hour</c> and <c>mailbox.recipients_per_hour</c>, which postfixadmin's schema lacks: there,
/// everyone has the configured defaults). Separate from <see cref="IMailDirectory"/> so test fakes need not implement it.
/// </summary>
public interface ISendingLimitSource
{
    /// <summary>The user's limits; throws <see cref="DirectoryUnavailableException"/> when the database did not answer.</summary>
    ValueTask<UserSendingLimits> GetSendingLimitsAsync(string user, CancellationToken cancellationToken);
}

/// <summary>A user's hourly limits: null = the configured default, 0 = unlimited.</summary>
public sealed record UserSendingLimits(int? MessagesPerHour, int? RecipientsPerHour)
{
    public static readonly UserSendingLimits Defaults = new(null, null);
}
