using MailKit;
using Envelope = Mailroom.Core.Envelope;
using MailKit.Net.Smtp;
using Mailroom.Core;
using MimeKit;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>
/// MailKit's SMTP client, told the envelope's DSN parameters (RFC 3461) and made to collect each RCPT TO
/// reply instead of stopping at the first refused recipient, so that one transaction serves every
/// recipient of a destination.
/// </summary>
internal sealed class RelayClient : SmtpClient
{
    private readonly Dictionary<MailboxAddress, EnvelopeRecipient> _recipients = new(ReferenceEqualityComparer.Instance);
    private Envelope? _envelope;

    public RelayClient(SmtpTarget target)
    {
        Target = target;
    }

    public SmtpTarget Target { get; }

    /// <summary>Replies to refused RCPT TO commands of the current transaction.</summary>
    public Dictionary<MailboxAddress, SmtpResponse> Refused { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Starts a transaction: the mailboxes to send to, each with its envelope recipient.</summary>
    public IReadOnlyList<MailboxAddress> Begin(Envelope envelope, IReadOnlyList<EnvelopeRecipient> recipients)
    {
        _envelope = envelope;
        _recipients.Clear();
        Refused.Clear();
        var mailboxes = new MailboxAddress[recipients.Count];
        for (int i = 0; i < recipients.Count; i++)
        {
            mailboxes[i] = new MailboxAddress(string.Empty, recipients[i].Address);
            _recipients[mailboxes[i]] = recipients[i];
        }

        DeliveryStatusNotificationType = envelope.Return switch
        {
            DsnReturn.Full => MailKit.Net.Smtp.DeliveryStatusNotificationType.Full,
            DsnReturn.Headers => MailKit.Net.Smtp.DeliveryStatusNotificationType.HeadersOnly,
            _ => MailKit.Net.Smtp.DeliveryStatusNotificationType.Unspecified,
        };
        return mailboxes;
    }

    protected override string? GetEnvelopeId(MimeMessage message) => _envelope?.EnvelopeId;

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox)
    {
        if (!_recipients.TryGetValue(mailbox, out EnvelopeRecipient? recipient) || recipient.Notify == DsnNotify.Unspecified)
        {
            return null;
        }

        if (recipient.Notify.HasFlag(DsnNotify.Never))
        {
            return DeliveryStatusNotification.Never;
        }

        DeliveryStatusNotification notify = default;
        notify |= recipient.Notify.HasFlag(DsnNotify.Success) ? DeliveryStatusNotification.Success : default;
        notify |= recipient.Notify.HasFlag(DsnNotify.Failure) ? DeliveryStatusNotification.Failure : default;
        notify |= recipient.Notify.HasFlag(DsnNotify.Delay) ? DeliveryStatusNotification.Delay : default;
        return notify;
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        Refused[mailbox] = response;

    protected override void OnNoRecipientsAccepted(MimeMessage message) =>
        throw new NoRecipientsAcceptedException();
}
