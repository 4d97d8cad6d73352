using System.Buffers;
using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Store;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// Delivers to local mailboxes (Postfix's <c>local</c>/<c>virtual</c> agents): checks that the mailbox
/// still exists and has room under its quota, then stores the message with the delivery headers Postfix adds in front.
/// </summary>
internal sealed class LocalDeliveryAgent
{
    private readonly IMailboxStore _store;
    private readonly IMailDirectory? _directory;
    private readonly IMailboxQuotaSource? _quotas;
    private readonly MailboxUsage? _usage;

    public LocalDeliveryAgent(IMailboxStore store, IMailDirectory? directory, TimeProvider timeProvider)
    {
        _store = store;
        _directory = directory;
        _quotas = directory as IMailboxQuotaSource;
        _usage = _quotas is not null && store is MaildirStore maildirs ? new MailboxUsage(maildirs, timeProvider) : null;
    }

    /// <summary>Delivers <paramref name="content"/> (positioned at the first content byte) to one recipient.</summary>
    public async ValueTask<RecipientOutcome> DeliverAsync(Envelope envelope, EnvelopeRecipient recipient, Stream content, CancellationToken cancellationToken)
    {
        string mailbox = recipient.Address;
        if (_directory is not null)
        {
            try
            {
                // The user may have been removed since RCPT TO accepted the address.
                RecipientResolution resolution = await _directory.ResolveRecipientAsync(mailbox, cancellationToken).ConfigureAwait(false);
                if (resolution.Status != RecipientStatus.Resolved)
                {
                    return UnknownUser(mailbox);
                }
            }
            catch (DirectoryUnavailableException ex)
            {
                return new RecipientOutcome(DeliveryStatus.Deferred, "4.3.0", $"mailbox lookup failed: {ex.Message}");
            }
        }

        if (await CheckQuotaAsync(mailbox, content, cancellationToken).ConfigureAwait(false) is { } full)
        {
            return full;
        }

        byte[] prefix = ArrayPool<byte>.Shared.Rent(DeliveryHeaders.MaxByteCount(envelope.Sender, recipient));
        try
        {
            int length = DeliveryHeaders.Write(envelope.Sender, recipient, prefix);
            // DMARC quarantine (RFC 7489 §6.3): the message is kept, in the recipient's Junk folder.
            _ = envelope.Quarantine
                ? await _store.DeliverToFolderAsync(mailbox, "Junk", prefix.AsMemory(0, length), content, cancellationToken).ConfigureAwait(false)
                : await _store.DeliverAsync(mailbox, prefix.AsMemory(0, length), content, cancellationToken).ConfigureAwait(false);
            _usage?.Invalidate(mailbox);
            return RecipientOutcome.Delivered;
        }
        catch (ArgumentException)
        {
            // The store refuses names that cannot be a mailbox path: no such user can exist.
            return UnknownUser(mailbox);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Postfix virtual(8): "maildir delivery failed: ..." with a temporary status.
            return new RecipientOutcome(DeliveryStatus.Deferred, "4.2.0", $"maildir delivery failed: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(prefix);
        }
    }

    /// <summary>
    /// Over quota (<c>mailbox.quota</c> bytes, 0 = unlimited) once this message is added: bounce with 5.2.2, or
    /// defer with 4.2.2 when so configured (RFC 3463 X.2.2 "mailbox full"; the text is Dovecot's).
    /// </summary>
    private async ValueTask<RecipientOutcome?> CheckQuotaAsync(string mailbox, Stream content, CancellationToken cancellationToken)
    {
        if (_quotas is null || _usage is null)
        {
            return null;
        }

        long quota;
        long used;
        try
        {
            quota = await _quotas.GetQuotaBytesAsync(mailbox, cancellationToken).ConfigureAwait(false);
            if (quota <= 0)
            {
                return null;
            }

            used = _usage.GetUsedBytes(mailbox);
        }
        catch (DirectoryUnavailableException ex)
        {
            return new RecipientOutcome(DeliveryStatus.Deferred, "4.3.0", $"mailbox lookup failed: {ex.Message}");
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // Not measurable: the store's own checks decide.
            return null;
        }

        long incoming = content.CanSeek ? Math.Max(1, content.Length - content.Position) : 1;
        if (used + incoming <= quota)
        {
            return null;
        }

        const string Text = "Quota exceeded (mailbox for user is full)";
        return _quotas.QuotaExceeded == QuotaExceededAction.Defer
            ? new RecipientOutcome(DeliveryStatus.Deferred, "4.2.2", Text)
            : new RecipientOutcome(DeliveryStatus.Bounced, "5.2.2", Text);
    }

    private static RecipientOutcome UnknownUser(string mailbox) =>
        new(DeliveryStatus.Bounced, "5.1.1", $"unknown user: \"{mailbox}\"");
}
