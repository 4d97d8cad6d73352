using Mailroom.Core;

namespace Mailroom.Smtp.Server;

/// <summary>
/// Whether a local mailbox is full (postfixadmin's <c>mailbox.quota</c>, bytes, 0 = unlimited), so that mail
/// which cannot be delivered is refused while the client is still connected instead of bouncing later.
/// </summary>
internal sealed class MailboxQuotaCheck
{
    private readonly IMailboxQuota _quota;

    private MailboxQuotaCheck(IMailboxQuota quota)
    {
        _quota = quota;
    }

    /// <summary>A check when the server has a quota to ask; otherwise null.</summary>
    public static MailboxQuotaCheck? Create(IMailboxQuota? quota) => quota is null ? null : new MailboxQuotaCheck(quota);

    /// <summary>
    /// True when <paramref name="mailbox"/> cannot take <paramref name="incoming"/> more bytes: at RCPT
    /// (<paramref name="incoming"/> = 0) when its usage has reached the quota, at DATA when this message would pass it.
    /// </summary>
    /// <exception cref="Directory.DirectoryUnavailableException">The quota could not be read.</exception>
    public async ValueTask<bool> IsFullAsync(string mailbox, long incoming, CancellationToken cancellationToken)
    {
        QuotaUsage usage;
        try
        {
            usage = await _quota.GetUsageAsync(mailbox, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // Not measurable here: local delivery checks again and decides.
            return false;
        }

        return incoming == 0 ? usage.IsFull : usage.WouldExceed(incoming);
    }
}
