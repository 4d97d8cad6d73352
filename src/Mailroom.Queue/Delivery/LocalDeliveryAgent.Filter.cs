using System.Text;
using Mailroom.Core;
using Mailroom.Core.Filtering;
using Mailroom.Directory;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// Delivery through the user's filter: the filter decides (<see cref="IDeliveryFilter"/>), this carries the decision
/// out — stores into folders with flags and keywords (store save transactions), redirects and vacation replies submitted
/// to the queue, a reject returned as a bounce with 5.7.1 (a DSN to the sender, RFC 5429 §2.1) — and then lets the
/// filter record what it must remember. A store into a folder that does not exist (and is not to be created) goes to
/// INBOX instead (Pigeonhole's rule).
/// </summary>
/// <remarks>
/// Several actions on one message are carried out in two steps, so a failure leaves as little behind as possible: first
/// every copy is written into its own save transaction and every message to send into its own submission (nothing
/// visible yet; any failure aborts them all and defers the delivery), then the stores commit, then the submissions, then
/// the filter's records. A failure between two commits defers the delivery with some of it done, and the retry does it
/// again: delivery is at least once, as everywhere in the queue.
/// </remarks>
internal sealed partial class LocalDeliveryAgent
{
    private async ValueTask<RecipientOutcome> DeliverFilteredAsync(string queueId, Envelope envelope, EnvelopeRecipient recipient, Stream content,
        Func<Stream> openContent, CancellationToken cancellationToken)
    {
        string mailbox = recipient.Address;
        HashSet<string>? existing = null;
        bool Exists(string folder)
        {
            existing ??= new HashSet<string>(_store.ListFolders(mailbox).Select(f => f.Name), StringComparer.Ordinal);
            return existing.Contains(Canonical(folder));
        }

        FilterDecision decision;
        try
        {
            string defaultFolder = _options.SaveToDetailFolder && recipient.Detail is { Length: > 0 } detail && Exists(detail) ? Canonical(detail) : Inbox;
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

        long start = content.Position;
        var saves = new List<StagedSave>();
        var sends = new List<(IMessageSubmission Submission, string Done)>();
        var done = new List<string>();
        try
        {
            foreach (StoreAction store in Targets(mailbox, decision.Actions, Exists))
            {
                content.Position = start;
                saves.Add(await StageAsync(envelope, recipient, content, store, cancellationToken).ConfigureAwait(false));
            }

            foreach (FilterAction action in decision.Actions)
            {
                switch (action)
                {
                    case RedirectAction redirect:
                        content.Position = start;
                        if (await BeginSubmissionAsync(envelope, envelope.Sender, redirect.Address, Encoding.UTF8.GetBytes(redirect.HeaderPrefix), content,
                                DsnNotify.Unspecified, cancellationToken, forwarder: mailbox).ConfigureAwait(false) is { } forward)
                        {
                            sends.Add((forward, $"forwarded to <{redirect.Address}>"));
                        }

                        break;
                    case ReplyAction reply:
                        using (var message = new MemoryStream(reply.Message.ToArray(), writable: false))
                        {
                            // RFC 5230 §5.1, RFC 3834 §3.3: from the null sender, so that nobody answers the answer.
                            if (await BeginSubmissionAsync(envelope, "", reply.Recipient, ReadOnlyMemory<byte>.Empty, message, DsnNotify.Never,
                                    cancellationToken).ConfigureAwait(false) is { } answer)
                            {
                                sends.Add((answer, $"vacation reply sent to <{reply.Recipient}>"));
                            }
                        }

                        break;
                }
            }

            foreach (StagedSave save in saves)
            {
                await save.Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                done.Add(save.Folder == Inbox ? "delivered to mailbox" : $"delivered to folder '{save.Folder}'");
            }

            foreach ((IMessageSubmission submission, string what) in sends)
            {
                await submission.CommitAsync(cancellationToken).ConfigureAwait(false);
                done.Add(what);
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
        finally
        {
            foreach (StagedSave save in saves)
            {
                save.Dispose();
            }

            foreach ((IMessageSubmission submission, _) in sends)
            {
                await submission.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (!decision.Filtered && done is ["delivered to mailbox"])
        {
            return RecipientOutcome.Delivered;
        }

        string text = string.Join("; ", done.Count == 0 ? ["discarded"] : done);
        return new RecipientOutcome(DeliveryStatus.Sent, "2.0.0", !decision.Filtered ? text : decision.Failure is null ? $"sieve: {text}" : $"sieve failed, {text}");
    }

    /// <summary>
    /// The folders the message is stored into, each once (RFC 5228 §2.10.3: storing twice into one folder stores once),
    /// in the order the filter decided; <c>:create</c> creates a missing folder here (RFC 5490 §3.2). A folder that does
    /// not exist and is not to be created, or cannot be (an invalid name), is INBOX, as Pigeonhole keeps a message whose
    /// fileinto fails; copies that land in one folder carry the flags of all of them.
    /// </summary>
    private List<StoreAction> Targets(string user, IReadOnlyList<FilterAction> actions, Func<string, bool> exists)
    {
        var targets = new List<StoreAction>();
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (StoreAction store in actions.OfType<StoreAction>())
        {
            string folder = Canonical(store.Folder);
            if (folder != Inbox && !created.Contains(folder) && !exists(folder))
            {
                if (store.Create && _store.CreateFolder(user, folder) is FolderResult.Ok or FolderResult.AlreadyExists)
                {
                    created.Add(folder);
                }
                else
                {
                    folder = Inbox;
                }
            }

            int same = targets.FindIndex(t => t.Folder == folder);
            if (same < 0)
            {
                targets.Add(new StoreAction(folder, Create: false, store.Flags));
            }
            else
            {
                targets[same] = targets[same] with { Flags = [.. targets[same].Flags.Union(store.Flags, StringComparer.OrdinalIgnoreCase)] };
            }
        }

        return targets;
    }

    /// <summary>Folder names as the store spells them: INBOX in any case is INBOX.</summary>
    private static string Canonical(string folder) =>
        folder.Equals(Inbox, StringComparison.OrdinalIgnoreCase) ? Inbox
        : folder.StartsWith(Inbox + "/", StringComparison.OrdinalIgnoreCase) ? Inbox + folder[Inbox.Length..]
        : folder;

    /// <summary>
    /// Starts a message the filter asked to send and writes it, without committing; null when its recipient resolves to
    /// nowhere. The caller commits or disposes it. A redirect names the <paramref name="forwarder"/>: the copy leaves as
    /// mail this mailbox forwards, as an alias's would (the original's authentication results kept, the mailbox as each
    /// remote recipient's original address), so remote delivery rewrites the sender with SRS and seals it with ARC.
    /// A vacation reply is this server's own mail (no results), signed with the From domain's DKIM key.
    /// </summary>
    private async ValueTask<IMessageSubmission?> BeginSubmissionAsync(Envelope original, string sender, string address, ReadOnlyMemory<byte> prefix, Stream content,
        DsnNotify notify, CancellationToken cancellationToken, string? forwarder = null)
    {
        if (_submitter is null)
        {
            throw new IOException("no queue to submit to");
        }

        IReadOnlyList<EnvelopeRecipient> recipients = await RecipientRouter.RouteAsync(_directory, address, notify, cancellationToken).ConfigureAwait(false);
        if (recipients.Count == 0)
        {
            return null;
        }

        if (forwarder is not null)
        {
            recipients = [.. recipients.Select(r => r.Route == RecipientRoute.Remote ? r with { OriginalAddress = forwarder } : r)];
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
            Authentication = forwarder is null ? null : original.Authentication,
        };
        IMessageSubmission submission = await _submitter.BeginAsync(envelope, cancellationToken).ConfigureAwait(false);
        try
        {
            await submission.Content.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
            await content.CopyToAsync(submission.Content, cancellationToken).ConfigureAwait(false);
            return submission;
        }
        catch
        {
            await submission.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>System flags (with their backslash) and keywords apart (RFC 5232 §3: a flag list holds both).</summary>
    private static (MessageFlags Flags, List<string> Keywords) SplitFlags(IReadOnlyList<string> flags)
    {
        MessageFlags system = MessageFlags.None;
        var keywords = new List<string>();
        foreach (string flag in flags)
        {
            switch (flag.ToUpperInvariant())
            {
                case "\\SEEN": system |= MessageFlags.Seen; break;
                case "\\ANSWERED": system |= MessageFlags.Answered; break;
                case "\\FLAGGED": system |= MessageFlags.Flagged; break;
                case "\\DELETED": system |= MessageFlags.Deleted; break;
                case "\\DRAFT": system |= MessageFlags.Draft; break;
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
