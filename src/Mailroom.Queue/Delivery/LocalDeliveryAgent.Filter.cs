using System.Text;
using Mailroom.Core;
using Mailroom.Core.Filtering;
using Mailroom.Directory;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// Delivery through the user's filter: the filter decides (<see cref="IDeliveryFilter"/>), this carries the decision
/// out — stores into folders with flags (through <see cref="MailboxRepository"/>, today's folder API; INBOX without
/// flags through the plain Maildir delivery), redirects and vacation replies submitted to the queue, a reject returned
/// as a bounce with 5.7.1 (a DSN to the sender, RFC 5429 §2.1) — and then lets the filter record what it must remember.
/// A store into a folder that does not exist (and is not to be created) goes to INBOX instead.
/// </summary>
internal sealed partial class LocalDeliveryAgent
{
    private async ValueTask<RecipientOutcome> DeliverFilteredAsync(string queueId, Envelope envelope, EnvelopeRecipient recipient, Stream content,
        Func<Stream> openContent, CancellationToken cancellationToken)
    {
        string mailbox = recipient.Address;
        MailboxRepository folders = _folders!;
        HashSet<string>? existing = null;
        bool Exists(string folder)
        {
            existing ??= new HashSet<string>(folders.ListFolders(mailbox).Select(f => f.Name), StringComparer.Ordinal);
            return existing.Contains(folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : folder);
        }

        long start = content.Position;
        FilterDecision decision;
        try
        {
            string defaultFolder = _options.SaveToDetailFolder && recipient.Detail is { Length: > 0 } detail && Exists(detail) ? detail : "INBOX";
            decision = _filter is null
                ? FilterDecision.Unfiltered(defaultFolder)
                : await _filter.DecideAsync(
                    new FilterRequest
                    {
                        QueueId = queueId,
                        Envelope = envelope,
                        Recipient = recipient,
                        OpenMessage = openContent,
                        Phase = FilterPhase.Delivery,
                        DefaultFolder = defaultFolder,
                        FolderExists = Exists,
                    },
                    cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            return UnknownUser(mailbox);
        }

        if (decision.Reject is { } reject)
        {
            // RFC 5429 §2.1: after the message was accepted, a reject is a delivery status notification to the sender.
            return new RecipientOutcome(DeliveryStatus.Bounced, "5.7.1", "rejected by sieve: " + SmtpSafe(reject.Reason));
        }

        var done = new List<string>();
        try
        {
            foreach (FilterAction action in decision.Actions)
            {
                switch (action)
                {
                    case StoreAction store:
                        content.Position = start;
                        done.Add(await StoreAsync(envelope, recipient, content, store, Exists, cancellationToken).ConfigureAwait(false));
                        break;
                    case RedirectAction redirect:
                        content.Position = start;
                        if (await SubmitAsync(envelope, envelope.Sender, redirect.Address, Encoding.UTF8.GetBytes(redirect.HeaderPrefix), content, DsnNotify.Unspecified, cancellationToken).ConfigureAwait(false))
                        {
                            done.Add($"forwarded to <{redirect.Address}>");
                        }

                        break;
                    case ReplyAction reply:
                        using (var message = new MemoryStream(reply.Message.ToArray(), writable: false))
                        {
                            if (await SubmitAsync(envelope, "", reply.Recipient, ReadOnlyMemory<byte>.Empty, message, DsnNotify.Never, cancellationToken).ConfigureAwait(false))
                            {
                                done.Add($"vacation reply sent to <{reply.Recipient}>");
                            }
                        }

                        break;
                    case DiscardAction when decision.Actions.Count == 1:
                        done.Add("discarded");
                        break;
                }
            }

            await decision.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            return UnknownUser(mailbox);
        }
        catch (DirectoryUnavailableException ex)
        {
            return new RecipientOutcome(DeliveryStatus.Deferred, "4.3.0", $"mailbox lookup failed: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new RecipientOutcome(DeliveryStatus.Deferred, "4.2.0", $"maildir delivery failed: {ex.Message}");
        }

        _usage?.Invalidate(mailbox);
        if (!decision.Filtered && done is ["delivered to mailbox"])
        {
            return RecipientOutcome.Delivered;
        }

        string text = string.Join("; ", done.Count == 0 ? ["discarded"] : done);
        return new RecipientOutcome(DeliveryStatus.Sent, "2.0.0", !decision.Filtered ? text : decision.Failure is null ? $"sieve: {text}" : $"sieve failed, {text}");
    }

    /// <summary>Stores one copy; returns what was done, for the log.</summary>
    private async ValueTask<string> StoreAsync(Envelope envelope, EnvelopeRecipient recipient, Stream content, StoreAction store, Func<string, bool> exists,
        CancellationToken cancellationToken)
    {
        string mailbox = recipient.Address;
        MailboxRepository folders = _folders!;
        string folder = store.Folder;
        bool inbox = folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase);
        if (!inbox && !exists(folder))
        {
            if (store.Create && folders.CreateFolder(mailbox, folder) is FolderResult.Ok or FolderResult.AlreadyExists)
            {
                inbox = false;
            }
            else
            {
                // Pigeonhole's rule: a fileinto that cannot store keeps the message in INBOX instead.
                folder = "INBOX";
                inbox = true;
            }
        }

        if (inbox && store.Flags.Count == 0)
        {
            RecipientOutcome outcome = await DeliverToInboxAsync(envelope, recipient, content, cancellationToken).ConfigureAwait(false);
            return outcome.Status switch
            {
                DeliveryStatus.Sent => "delivered to mailbox",
                DeliveryStatus.Bounced => throw new ArgumentException(outcome.Text),
                _ => throw new IOException(outcome.Text),
            };
        }

        using FolderLease lease = folders.OpenFolder(mailbox, inbox ? "INBOX" : folder)
            ?? folders.OpenFolder(mailbox, "INBOX")
            ?? throw new IOException($"cannot open INBOX of {mailbox}");
        (MessageFlags flags, List<string> keywords) = Split(store.Flags);
        byte[] prefix = new byte[DeliveryHeaders.MaxByteCount(envelope.Sender, recipient)];
        int length = DeliveryHeaders.Write(envelope.Sender, recipient, prefix);
        await lease.Folder.AppendAsync(new PrefixedStream(prefix.AsMemory(0, length), content), flags, keywords, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return $"delivered to folder '{lease.Folder.Name}'";
    }

    /// <summary>Submits a message the filter asked for; false when its recipient resolves to nowhere.</summary>
    private async ValueTask<bool> SubmitAsync(Envelope original, string sender, string address, ReadOnlyMemory<byte> prefix, Stream content, DsnNotify notify,
        CancellationToken cancellationToken)
    {
        if (_submitter is null)
        {
            throw new IOException("no queue to submit to");
        }

        IReadOnlyList<EnvelopeRecipient> recipients = await RecipientRouter.RouteAsync(_directory, address, notify, cancellationToken).ConfigureAwait(false);
        if (recipients.Count == 0)
        {
            return false;
        }

        var envelope = new Envelope
        {
            Sender = sender,
            Recipients = recipients,
            ArrivalTime = _time.GetUtcNow(),
            ClientName = "localhost",
            ClientAddress = "127.0.0.1",
            Protocol = "local",
            BodyType = sender.Length == 0 ? BodyType.SevenBit : original.BodyType,
            SmtpUtf8 = sender.Length != 0 && original.SmtpUtf8,
        };
        IMessageSubmission submission = await _submitter.BeginAsync(envelope, cancellationToken).ConfigureAwait(false);
        await using (submission.ConfigureAwait(false))
        {
            await submission.Content.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
            await content.CopyToAsync(submission.Content, cancellationToken).ConfigureAwait(false);
            await submission.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static (MessageFlags Flags, List<string> Keywords) Split(IReadOnlyList<string> flags)
    {
        MessageFlags system = MessageFlags.None;
        var keywords = new List<string>();
        foreach (string flag in flags)
        {
            switch (flag)
            {
                case "\\Seen": system |= MessageFlags.Seen; break;
                case "\\Answered": system |= MessageFlags.Answered; break;
                case "\\Flagged": system |= MessageFlags.Flagged; break;
                case "\\Deleted": system |= MessageFlags.Deleted; break;
                case "\\Draft": system |= MessageFlags.Draft; break;
                default: keywords.Add(flag); break;
            }
        }

        return (system, keywords);
    }

    /// <summary>A reason fit for a status line: one line of printable ASCII, bounded.</summary>
    internal static string SmtpSafe(string reason)
    {
        var text = new StringBuilder(Math.Min(reason.Length, 200));
        foreach (char c in reason)
        {
            if (text.Length >= 200)
            {
                break;
            }

            text.Append(c is >= ' ' and < '\u007f' ? c : c is '\r' or '\n' or '\t' ? ' ' : '?');
        }

        string line = text.ToString().Trim();
        return line.Length == 0 ? "rejected" : line;
    }
}
