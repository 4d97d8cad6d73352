using Mailroom.Directory;
using Mailroom.Store;

namespace Mailroom.Smtp.Server;

/// <summary>
/// Whether a local mailbox is full (postfixadmin's <c>mailbox.quota</c>, bytes, 0 = unlimited), so that mail
/// which cannot be delivered is refused while the client is still connected instead of bouncing later.
/// </summary>
internal sealed class MailboxQuotaCheck
{
    private readonly IMailboxQuotaSource _quotas;
    private readonly MailboxUsage _usage;

    private MailboxQuotaCheck(IMailboxQuotaSource quotas, MailboxUsage usage)
    {
        _quotas = quotas;
        _usage = usage;
    }

    /// <summary>A check when the directory has quotas and the mailbox usage can be measured; otherwise null.</summary>
    public static MailboxQuotaCheck? Create(IMailDirectory directory, MailboxUsage? usage) =>
        usage is not null && directory is IMailboxQuotaSource quotas ? new MailboxQuotaCheck(quotas, usage) : null;

    /// <summary>
    /// True when <paramref name="mailbox"/> cannot take <paramref name="incoming"/> more bytes: at RCPT
    /// (<paramref name="incoming"/> = 0) when its usage has reached the quota, at DATA when this message would pass it.
    /// </summary>
    /// <exception cref="DirectoryUnavailableException">The quota could not be read.</exception>
    public async ValueTask<bool> IsFullAsync(string mailbox, long incoming, CancellationToken cancellationToken)
    {
        long quota = await _quotas.GetQuotaBytesAsync(mailbox, cancellationToken).ConfigureAwait(false);
        if (quota <= 0)
        {
            return false;
        }

        long used;
        try
        {
            used = _usage.GetUsedBytes(mailbox);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // Not measurable here: local delivery checks again and decides.
            return false;
        }

        return incoming == 0 ? used >= quota : used + incoming > quota;
    }
}
