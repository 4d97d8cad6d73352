using System.Buffers;
using Mailroom.Core;
using Mailroom.Core.Filtering;
using Mailroom.Directory;
using Mailroom.Store;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// Delivers to local mailboxes (Postfix's <c>local</c>/<c>virtual</c> agents): checks that the mailbox
/// still exists and has room under its quota, then stores the message with the delivery headers Postfix adds in front —
/// into INBOX, or where the user's filter (Sieve) decides (<c>LocalDeliveryAgent.Filter.cs</c>).
/// </summary>
internal sealed partial class LocalDeliveryAgent
{
    private readonly IMailboxStore _store;
    private readonly IMailDirectory? _directory;
    private readonly IMailboxQuotaSource? _quotas;
    private readonly MailboxUsage? _usage;
    private readonly IDeliveryFilter? _filter;
    private readonly MailboxRepository? _folders;
    private readonly IMessageSubmitter? _submitter;
    private readonly LocalDeliveryOptions _options;
    private readonly TimeProvider _time;

    public LocalDeliveryAgent(IMailboxStore store, IMailDirectory? directory, TimeProvider timeProvider, LocalDeliveryOptions? options = null,
        IDeliveryFilter? filter = null, MailboxRepository? folders = null, IMessageSubmitter? submitter = null)
    {
        _store = store;
        _directory = directory;
        _quotas = directory as IMailboxQuotaSource;
        _usage = _quotas is not null && store is MaildirStore maildirs ? new MailboxUsage(maildirs, timeProvider) : null;
        _options = options ?? new LocalDeliveryOptions();
        _filter = filter;
        _folders = folders;
        _submitter = submitter;
        _time = timeProvider;
    }

    /// <summary>
    /// Delivers <paramref name="content"/> (positioned at the first content byte) to one recipient;
    /// <paramref name="openContent"/> opens the same content again, for a filter to read.
    /// </summary>
    public async ValueTask<RecipientOutcome> DeliverAsync(string queueId, Envelope envelope, EnvelopeRecipient recipient, Stream content, Func<Stream> openContent, CancellationToken cancellationToken)
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

        if (_folders is not null && (_filter is not null || (_options.SaveToDetailFolder && recipient.Detail is not null)))
        {
            return await DeliverFilteredAsync(queueId, envelope, recipient, content, openContent, cancellationToken).ConfigureAwait(false);
        }

        return await DeliverToInboxAsync(envelope, recipient, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The plain delivery: into INBOX's <c>new/</c>, as a new message.</summary>
    private async ValueTask<RecipientOutcome> DeliverToInboxAsync(Envelope envelope, EnvelopeRecipient recipient, Stream content, CancellationToken cancellationToken)
    {
        string mailbox = recipient.Address;
        byte[] prefix = ArrayPool<byte>.Shared.Rent(DeliveryHeaders.MaxByteCount(envelope.Sender, recipient));
        try
        {
            int length = DeliveryHeaders.Write(envelope.Sender, recipient, prefix);
            await _store.DeliverAsync(mailbox, prefix.AsMemory(0, length), content, cancellationToken).ConfigureAwait(false);
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
