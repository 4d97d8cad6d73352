using Mailroom.Core;
using Mailroom.Queue.Delivery;

namespace Mailroom.Queue;

/// <summary>
/// Direct local delivery: a message whose every recipient is a local mailbox is delivered into the mailboxes while the
/// client waits for its reply to DATA, instead of being fsynced into the queue and delivered after. The store's save
/// transaction fsyncs the mailbox file and its directory (group-committed with the other sessions' deliveries), so the
/// <c>250</c> still follows a durable write: one file and one directory fsync per message instead of two of each. A
/// message held in memory (<see cref="DirectSubmission"/>) has no spool file at all; a larger one has its spool file,
/// never fsynced nor renamed into <c>active/</c>, simply removed. The attempt is the queue's
/// own first attempt — the same agent (Sieve, Junk, quota, plus addressing), the same mail log lines, the same
/// notices — so what differs is only where the file waits.
/// </summary>
/// <remarks>
/// A recipient deferred by the attempt keeps the message: it is fsynced and renamed into <c>deferred/</c> with its
/// status sidecar (the recipients already final), as a queued message after a failed first attempt, and retried after
/// the backoff. Kill -9 before the <c>250</c> leaves the spool file in <c>incoming/</c> (dropped at start, never
/// acknowledged) and possibly copies already in mailboxes, which the client's retry duplicates: the window any
/// delivery has between the mailbox fsync and the reply (Postfix → Dovecot LMTP has it between LMTP's reply and the
/// queue file's removal). Kill -9 after the <c>250</c> loses nothing: the copies, or the deferred file, are durable.
/// </remarks>
public sealed partial class QueueManager
{
    /// <summary>
    /// True when <paramref name="envelope"/> may be delivered directly: the option is on, the queue manager runs, and
    /// every recipient is local.
    /// </summary>
    internal bool AcceptsDirectDelivery(Envelope envelope)
    {
        if (!_options.DirectLocalDelivery || _workers.Length == 0 || _stopping.IsCancellationRequested)
        {
            return false;
        }

        foreach (EnvelopeRecipient recipient in envelope.Recipients)
        {
            if (recipient.Route != RecipientRoute.Local)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The first delivery attempt of <paramref name="entry"/>, its data file still in <c>incoming/</c> (written, not
    /// fsynced): every recipient, logged and recorded in the entry as the queue's attempt records them. Runs to its end
    /// whatever the client does (only a shutdown stops it): once a copy is in a mailbox, the message must be finished.
    /// </summary>
    /// <param name="entry">The message, every recipient pending.</param>
    /// <param name="openContent">Opens a seekable view of the content (the spool file is still held by its writer).</param>
    internal async ValueTask DeliverDirectAsync(QueueEntry entry, Func<Stream> openContent)
    {
        Envelope envelope = entry.Envelope;
        IReadOnlyList<EnvelopeRecipient> recipients = envelope.Recipients;
        QueueMaillog.QueueActive(_qmgrLog, entry.Id, envelope.Sender, entry.Size, recipients.Count);
        Stream content = openContent();
        await using (content.ConfigureAwait(false))
        {
            for (int i = 0; i < recipients.Count; i++)
            {
                EnvelopeRecipient recipient = recipients[i];
                content.Position = 0;
                DateTimeOffset start = _time.GetUtcNow();
                RecipientOutcome outcome;
                try
                {
                    outcome = await _local.DeliverAsync(entry.Id, envelope, recipient, content, openContent, _stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // What a failed attempt in the queue comes to: this recipient waits for the retry.
                    QueueDiagnostics.AttemptFailed(_logger, entry.Id, ex);
                    outcome = new RecipientOutcome(DeliveryStatus.Deferred, "4.3.0", "local delivery failed: " + ex.Message);
                }

                DateTimeOffset end = _time.GetUtcNow();
                LogRecipient(_localLog, entry, recipient, "local", outcome, start, TimeSpan.Zero, end - start, end);
                entry.LastOutcomes[i] = outcome;
                if (outcome.Status == DeliveryStatus.Deferred)
                {
                    entry.Deferrals.Add(i);
                    continue;
                }

                entry.Notices.Add(new Bounces.DsnCandidate(i, outcome, null));
                entry.States[i] = outcome.Status == DeliveryStatus.Sent ? RecipientState.Sent : RecipientState.Bounced;
                entry.PendingCount--;
            }
        }
    }

    /// <summary>
    /// After a direct attempt that left no recipient pending, the spool file closed but still in place (the notices
    /// quote it): sends the notices the outcomes call for and logs the removal. The caller then deletes the file.
    /// </summary>
    internal async ValueTask FinishDirectAsync(QueueEntry entry)
    {
        await SendNoticesAsync(entry, _stopping.Token).ConfigureAwait(false);
        QueueMaillog.Removed(_qmgrLog, entry.Id);
    }

    /// <summary>
    /// After a direct attempt that deferred some recipients, the spool file fsynced and closed: the message goes to
    /// <c>deferred/</c> as after a failed attempt in the queue. The status sidecar (final recipients, fsynced) comes
    /// first, then the rename and the fsync of <c>deferred/</c>, which makes both entries durable; only then do the
    /// notices go out and the retry get scheduled.
    /// </summary>
    /// <exception cref="IOException">The message could not be kept (answer 451): nothing of it is left in the queue.</exception>
    internal async ValueTask DeferDirectAsync(QueueEntry entry)
    {
        string target = Path.Combine(Directories.Deferred, entry.Id);
        string statusPath = target + RecipientStatusFile.Extension;
        try
        {
            using (var status = new RecipientStatusFile(statusPath))
            {
                for (int i = 0; i < entry.States.Length; i++)
                {
                    if (entry.States[i] != RecipientState.Pending && entry.LastOutcomes[i] is { } outcome)
                    {
                        status.Append(i, outcome.Status, outcome.Dsn, outcome.Text);
                    }
                }

                status.Flush();
            }

            File.Move(entry.Path, target, overwrite: true);

            // Not cancellable: after the rename only a failed fsync may take the message back.
            await Directories.Sync.SyncAsync(Directories.Deferred).ConfigureAwait(false);
        }
        catch
        {
            TryDelete(target);
            TryDelete(statusPath);
            throw;
        }

        entry.Path = target;
        entry.IsDeferred = true;
        entry.MayHaveStatus = true;

        // Held until the retry is scheduled: an administrator's flush or delete waits for it.
        await entry.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _entries.TryAdd(entry.Id, entry);
            await SendNoticesAsync(entry, _stopping.Token).ConfigureAwait(false);
            ScheduleRetry(entry);
        }
        finally
        {
            entry.Gate.Release();
        }
    }
}
