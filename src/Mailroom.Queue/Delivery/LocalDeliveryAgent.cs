using System.Buffers;
using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// Delivers to local mailboxes (Postfix's <c>local</c>/<c>virtual</c> agents): checks that the mailbox
/// still exists and has room under its quota, then saves the message into its INBOX with the delivery headers Postfix
/// adds in front, as one store transaction.
/// </summary>
internal sealed class LocalDeliveryAgent
{
    private readonly IMailboxStore _store;
    private readonly IMailDirectory? _directory;
    private readonly IMailboxQuota? _quota;
    private readonly QuotaExceededAction _quotaExceeded;

    public LocalDeliveryAgent(IMailboxStore store, IMailDirectory? directory, IMailboxQuota? quota)
    {
        _store = store;
        _directory = directory;
        _quota = quota;
        _quotaExceeded = (directory as IMailboxQuotaSource)?.QuotaExceeded ?? QuotaExceededAction.Bounce;
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
        FolderLease? junk = null;
        try
        {
            int length = DeliveryHeaders.Write(envelope.Sender, recipient, prefix);
            ReadOnlyMemory<byte> headers = prefix.AsMemory(0, length);
            // DMARC quarantine (RFC 7489 §6.3): the message is kept, in the recipient's Junk folder.
            using SaveTransaction delivery = envelope.Quarantine ? BeginJunkDelivery(mailbox, out junk) : _store.BeginDelivery(mailbox);
            MessageWriter message = delivery.BeginMessage(MessageFlags.None, [], internalDate: null);
            await message.WriteAsync(headers, cancellationToken).ConfigureAwait(false);
            await message.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            await message.CompleteAsync(cancellationToken).ConfigureAwait(false);
            await delivery.CommitAsync(cancellationToken).ConfigureAwait(false);
            return RecipientOutcome.Delivered;
        }
        catch (ArgumentException)
        {
            // The store refuses names that cannot be a mailbox: no such user can exist.
            return UnknownUser(mailbox);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Postfix virtual(8): "maildir delivery failed: ..." with a temporary status.
            return new RecipientOutcome(DeliveryStatus.Deferred, "4.2.0", $"maildir delivery failed: {ex.Message}");
        }
        finally
        {
            junk?.Dispose();
            ArrayPool<byte>.Shared.Return(prefix);
        }
    }

    /// <summary>
    /// A save into the user's Junk folder (the default folder with RFC 6154's <c>\Junk</c>, created again when the user
    /// deleted it), held open through <paramref name="lease"/> until the caller disposes it; sessions that have it
    /// selected see the message at once.
    /// </summary>
    private SaveTransaction BeginJunkDelivery(string mailbox, out FolderLease? lease)
    {
        const string name = "Junk";
        lease = _store.OpenFolder(mailbox, name, keepNew: true);
        if (lease is null)
        {
            _store.CreateFolder(mailbox, name);
            lease = _store.OpenFolder(mailbox, name, keepNew: true)
                ?? throw new IOException($"the folder {name} of {mailbox} cannot be opened");
        }

        return lease.Folder.BeginSave();
    }

    /// <summary>
    /// Over quota (<c>mailbox.quota</c> bytes, 0 = unlimited) once this message is added: bounce with 5.2.2, or
    /// defer with 4.2.2 when so configured (RFC 3463 X.2.2 "mailbox full"; the text is Dovecot's).
    /// </summary>
    private async ValueTask<RecipientOutcome?> CheckQuotaAsync(string mailbox, Stream content, CancellationToken cancellationToken)
    {
        if (_quota is null)
        {
            return null;
        }

        QuotaUsage usage;
        try
        {
            usage = await _quota.GetUsageAsync(mailbox, cancellationToken).ConfigureAwait(false);
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
        if (!usage.WouldExceed(incoming))
        {
            return null;
        }

        const string Text = "Quota exceeded (mailbox for user is full)";
        return _quotaExceeded == QuotaExceededAction.Defer
            ? new RecipientOutcome(DeliveryStatus.Deferred, "4.2.2", Text)
            : new RecipientOutcome(DeliveryStatus.Bounced, "5.2.2", Text);
    }

    private static RecipientOutcome UnknownUser(string mailbox) =>
        new(DeliveryStatus.Bounced, "5.1.1", $"unknown user: \"{mailbox}\"");
}
