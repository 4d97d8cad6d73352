using System.Buffers;
using Mailroom.Core;
using Mailroom.Core.Filtering;
using Mailroom.Directory;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// Delivers to local mailboxes (Postfix's <c>local</c>/<c>virtual</c> agents): checks that the mailbox
/// still exists and has room under its quota, then saves the message with the delivery headers Postfix adds in front,
/// as store transactions — into INBOX, into Junk when DMARC quarantined it or a filter marked it as spam (unless the user
/// turned that off), or where the user's filter (Sieve) decides
/// (<c>LocalDeliveryAgent.Filter.cs</c>).
/// </summary>
internal sealed partial class LocalDeliveryAgent
{
    private const string Inbox = "INBOX";
    private const string JunkFolder = "Junk";

    private readonly IMailboxStore _store;
    private readonly IMailDirectory? _directory;
    private readonly IMailboxQuota? _quota;
    private readonly QuotaExceededAction _quotaExceeded;
    private readonly LocalDeliveryOptions _options;
    private readonly IDeliveryFilter? _filter;
    private readonly IMessageSubmitter? _submitter;
    private readonly TimeProvider _time;

    public LocalDeliveryAgent(IMailboxStore store, IMailDirectory? directory, IMailboxQuota? quota, TimeProvider timeProvider,
        LocalDeliveryOptions? options = null, IDeliveryFilter? filter = null, IMessageSubmitter? submitter = null)
    {
        _store = store;
        _directory = directory;
        _quota = quota;
        _quotaExceeded = (directory as IMailboxQuotaSource)?.QuotaExceeded ?? QuotaExceededAction.Bounce;
        _options = options ?? new LocalDeliveryOptions();
        _filter = filter;
        _submitter = submitter;
        _time = timeProvider;
    }

    /// <summary>
    /// Delivers <paramref name="content"/> (positioned at the first content byte, seekable) to one recipient;
    /// <paramref name="openContent"/> opens the same content again, for a filter to read.
    /// </summary>
    public async ValueTask<RecipientOutcome> DeliverAsync(string queueId, Envelope envelope, EnvelopeRecipient recipient, Stream content, Func<Stream> openContent,
        CancellationToken cancellationToken)
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

        // DMARC quarantine (RFC 7489 §6.3) is the site's verdict and comes before the user's filter: the message is kept,
        // in the recipient's Junk folder, and no script runs on it (no redirect, reply or reject goes out for mail whose
        // sender failed authentication), as a site's before script that files spam and stops would have it.
        bool toJunk;
        try
        {
            toJunk = envelope.Quarantine || (envelope.Spam && await SpamToJunkAsync(mailbox, cancellationToken).ConfigureAwait(false));
        }
        catch (DirectoryUnavailableException ex)
        {
            return new RecipientOutcome(DeliveryStatus.Deferred, "4.3.0", $"mailbox lookup failed: {ex.Message}");
        }

        if (!toJunk && (_filter is not null || (_options.SaveToDetailFolder && recipient.Detail is not null)))
        {
            return await DeliverFilteredAsync(queueId, envelope, recipient, content, openContent, cancellationToken).ConfigureAwait(false);
        }

        string folder = toJunk ? JunkFolder : Inbox;
        try
        {
            using StagedSave save = await StageAsync(envelope, recipient, content, new StoreAction(folder, Create: true, []), cancellationToken).ConfigureAwait(false);
            await save.Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
    }

    /// <summary>
    /// Whether spam-marked mail goes to this user's Junk folder: the user's own switch (<c>mailbox.spam_to_junk</c>, read
    /// and cached by the directory with the other per-user lookups), else <see cref="LocalDeliveryOptions.SpamToJunk"/>.
    /// DMARC quarantine is not the user's to turn off: it is the sender domain's published request (RFC 7489 §6.3) for
    /// mail that failed authentication, which a Sieve script in INBOX would otherwise act on (redirects, replies).
    /// </summary>
    private async ValueTask<bool> SpamToJunkAsync(string mailbox, CancellationToken cancellationToken) =>
        (_directory is ISpamToJunkSource source ? await source.GetSpamToJunkAsync(mailbox, cancellationToken).ConfigureAwait(false) : null)
        ?? _options.SpamToJunk;

    /// <summary>
    /// Writes one copy of the message, delivery headers in front, into a save transaction for <paramref name="store"/>'s
    /// folder, and completes it; the caller commits (or disposes to abort). INBOX without keywords is a delivery (new mail,
    /// flags allowed); any other folder, or keywords, is a save into the opened folder (created first when
    /// <see cref="StoreAction.Create"/>, as the Junk folder the user deleted is created again).
    /// </summary>
    private async ValueTask<StagedSave> StageAsync(Envelope envelope, EnvelopeRecipient recipient, Stream content, StoreAction store,
        CancellationToken cancellationToken)
    {
        (MessageFlags flags, List<string> keywords) = SplitFlags(store.Flags);
        StagedSave save = Begin(recipient.Address, store, keywords.Count > 0);
        try
        {
            byte[] prefix = ArrayPool<byte>.Shared.Rent(DeliveryHeaders.MaxByteCount(envelope.Sender, recipient));
            try
            {
                int length = DeliveryHeaders.Write(envelope.Sender, recipient, prefix);
                MessageWriter message = save.Transaction.BeginMessage(flags, keywords, internalDate: null);
                await message.WriteAsync(prefix.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                await message.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                await message.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(prefix);
            }

            return save;
        }
        catch
        {
            save.Dispose();
            throw;
        }
    }

    /// <summary>Opens the save transaction for <paramref name="store"/>'s folder (see <see cref="StageAsync"/>).</summary>
    private StagedSave Begin(string user, StoreAction store, bool keywords)
    {
        if (store.Folder == Inbox && !keywords)
        {
            return new StagedSave(Inbox, lease: null, _store.BeginDelivery(user));
        }

        // Not a reader looking: what is new stays new until a session shows it.
        FolderLease? lease = _store.OpenFolder(user, store.Folder, keepNew: true);
        if (lease is null && store.Create)
        {
            _store.CreateFolder(user, store.Folder);
            lease = _store.OpenFolder(user, store.Folder, keepNew: true);
        }

        if (lease is null)
        {
            throw new IOException($"the folder {store.Folder} of {user} cannot be opened");
        }

        try
        {
            return new StagedSave(lease.Folder.Name, lease, lease.Folder.BeginSave());
        }
        catch
        {
            lease.Dispose();
            throw;
        }
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
