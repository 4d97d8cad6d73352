using System.Buffers;
using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Store;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// Delivers to local mailboxes (Postfix's <c>local</c>/<c>virtual</c> agents): checks that the mailbox
/// still exists, then stores the message with the delivery headers Postfix adds in front.
/// </summary>
internal sealed class LocalDeliveryAgent
{
    private readonly IMailboxStore _store;
    private readonly IMailDirectory? _directory;

    public LocalDeliveryAgent(IMailboxStore store, IMailDirectory? directory)
    {
        _store = store;
        _directory = directory;
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

        byte[] prefix = ArrayPool<byte>.Shared.Rent(DeliveryHeaders.MaxByteCount(envelope.Sender, recipient));
        try
        {
            int length = DeliveryHeaders.Write(envelope.Sender, recipient, prefix);
            await _store.DeliverAsync(mailbox, prefix.AsMemory(0, length), content, cancellationToken).ConfigureAwait(false);
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

    private static RecipientOutcome UnknownUser(string mailbox) =>
        new(DeliveryStatus.Bounced, "5.1.1", $"unknown user: \"{mailbox}\"");
}
