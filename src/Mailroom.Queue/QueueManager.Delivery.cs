using System.Globalization;
using Mailroom.Core;
using Mailroom.Core.Telemetry;
using Mailroom.Queue.Bounces;
using Mailroom.Queue.Delivery;
using Microsoft.Extensions.Logging;

namespace Mailroom.Queue;

public sealed partial class QueueManager
{
    private static readonly RecipientOutcome NoRemoteRoute = new(DeliveryStatus.Deferred, "4.4.1", "no route to remote destinations configured");

    /// <summary>
    /// One delivery attempt: every pending local recipient, then every pending remote one; then the
    /// message is removed (all final), bounced (too old) or kept in <c>deferred/</c> for a retry.
    /// </summary>
    private async ValueTask DeliverAsync(QueueEntry entry, CancellationToken cancellationToken)
    {
        Envelope envelope = entry.Envelope;
        IReadOnlyList<EnvelopeRecipient> recipients = envelope.Recipients;
        QueueMaillog.QueueActive(_qmgrLog, entry.Id, envelope.Sender, entry.Size, recipients.Count);

        bool hasLocal = false;
        bool hasRemote = false;
        for (int i = 0; i < recipients.Count; i++)
        {
            if (entry.States[i] == RecipientState.Pending)
            {
                hasLocal |= recipients[i].Route == RecipientRoute.Local;
                hasRemote |= recipients[i].Route == RecipientRoute.Remote;
            }
        }

        using (var status = new RecipientStatusFile(entry.StatusPath))
        {
            if (hasLocal)
            {
                await DeliverLocalAsync(entry, status, cancellationToken).ConfigureAwait(false);
            }

            if (hasRemote)
            {
                await DeliverRemoteAsync(entry, status, cancellationToken).ConfigureAwait(false);
            }

            if (entry.PendingCount > 0)
            {
                // The message stays: make the outcomes recorded so far survive a crash of the machine.
                status.Flush();
            }
        }

        if (entry.PendingCount > 0 && _time.GetUtcNow() - envelope.ArrivalTime >= _options.MaximalQueueLifetime)
        {
            QueueMaillog.Expired(_qmgrLog, entry.Id, envelope.Sender);
            for (int i = 0; i < entry.States.Length; i++)
            {
                if (entry.States[i] == RecipientState.Pending)
                {
                    entry.States[i] = RecipientState.Bounced;
                    RecipientOutcome? last = entry.LastOutcomes[i];
                    entry.Notices.Add(new DsnCandidate(i, new RecipientOutcome(DeliveryStatus.Bounced, last?.Dsn ?? "4.4.7", last?.Text ?? "message expired in the queue"), null));
                }
            }

            entry.PendingCount = 0;
        }

        await SendNoticesAsync(entry, cancellationToken).ConfigureAwait(false);
        if (entry.PendingCount == 0)
        {
            Remove(entry);
            return;
        }

        if (!entry.IsDeferred)
        {
            MoveToDeferred(entry);
        }

        await WarnIfDelayedAsync(entry, cancellationToken).ConfigureAwait(false);
        ScheduleRetry(entry);
    }

    private async ValueTask DeliverLocalAsync(QueueEntry entry, RecipientStatusFile status, CancellationToken cancellationToken)
    {
        IReadOnlyList<EnvelopeRecipient> recipients = entry.Envelope.Recipients;

        // Unbuffered: the store copies through its own pooled buffer, straight from the file.
        var content = new FileStream(entry.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        await using (content.ConfigureAwait(false))
        {
            for (int i = 0; i < recipients.Count; i++)
            {
                EnvelopeRecipient recipient = recipients[i];
                if (entry.States[i] != RecipientState.Pending || recipient.Route != RecipientRoute.Local)
                {
                    continue;
                }

                content.Position = entry.ContentOffset;
                DateTimeOffset start = _time.GetUtcNow();
                RecipientOutcome outcome = await _local.DeliverAsync(entry.Id, entry.Envelope, recipient, content, () => OpenContent(entry), cancellationToken).ConfigureAwait(false);
                DateTimeOffset end = _time.GetUtcNow();
                LogRecipient(_localLog, entry, recipient, "local", outcome, start, TimeSpan.Zero, end - start, end);
                Record(entry, status, i, outcome, null);
            }
        }
    }

    /// <summary>The message's content, from its first byte (for a filter to read beside the delivery's own stream).</summary>
    private static FileStream OpenContent(QueueEntry entry)
    {
        var stream = new FileStream(entry.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 16 * 1024);
        stream.Position = entry.ContentOffset;
        return stream;
    }

    private async ValueTask DeliverRemoteAsync(QueueEntry entry, RecipientStatusFile status, CancellationToken cancellationToken)
    {
        IReadOnlyList<EnvelopeRecipient> recipients = entry.Envelope.Recipients;
        var indexes = new List<int>();
        var batch = new List<EnvelopeRecipient>();
        for (int i = 0; i < recipients.Count; i++)
        {
            if (entry.States[i] == RecipientState.Pending && recipients[i].Route == RecipientRoute.Remote)
            {
                indexes.Add(i);
                batch.Add(recipients[i]);
            }
        }

        DateTimeOffset start = _time.GetUtcNow();
        IReadOnlyList<RemoteDeliveryResult>? results = null;
        RecipientOutcome failure = NoRemoteRoute;
        if (_remote is not null)
        {
            try
            {
                var message = new QueuedMessage(entry.Id, entry.Envelope, entry.Path, entry.ContentOffset, entry.Size);
                results = await _remote.DeliverAsync(message, batch, cancellationToken).ConfigureAwait(false);
                if (results.Count != batch.Count)
                {
                    failure = new RecipientOutcome(DeliveryStatus.Deferred, "4.3.0", "remote delivery agent returned an incomplete result");
                    results = null;
                }
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                QueueDiagnostics.RemoteAgentFailed(_logger, entry.Id, ex);
                failure = new RecipientOutcome(DeliveryStatus.Deferred, "4.3.0", "remote delivery failed: " + ex.Message);
            }
        }

        DateTimeOffset end = _time.GetUtcNow();
        for (int k = 0; k < batch.Count; k++)
        {
            if (results is null)
            {
                LogRecipient(_qmgrLog, entry, batch[k], "none", failure, start, TimeSpan.Zero, TimeSpan.Zero, end);
                Record(entry, status, indexes[k], failure, null);
                continue;
            }

            RemoteDeliveryResult result = results[k];
            var outcome = new RecipientOutcome(result.Status, result.Dsn, result.Text);
            LogRecipient(_smtpLog, entry, batch[k], result.Relay, outcome, start, result.ConnectionSetup, result.Transmission, end);
            Record(entry, status, indexes[k], outcome, result);
        }
    }

    private static void Record(QueueEntry entry, RecipientStatusFile status, int index, RecipientOutcome outcome, RemoteDeliveryResult? remote)
    {
        entry.LastOutcomes[index] = outcome;
        if (outcome.Status == DeliveryStatus.Deferred)
        {
            // The message stays in the queue: the reason goes to defer/<id> for 'queue list' and the DSN at expiry.
            entry.Deferrals.Add(index);
            return;
        }

        entry.Notices.Add(new DsnCandidate(index, outcome, remote));
        entry.States[index] = outcome.Status == DeliveryStatus.Sent ? RecipientState.Sent : RecipientState.Bounced;
        entry.PendingCount--;
        if (entry.PendingCount > 0)
        {
            // The last recipient needs no line: the message is removed right after it.
            status.Append(index, outcome.Status, outcome.Dsn, outcome.Text);
            entry.MayHaveStatus = true;
        }
    }

    /// <summary>
    /// Postfix's <c>delays=a/b/c/d</c>: before the queue (arrival to commit), in the queue (commit to this
    /// delivery), connection setup, transmission; <c>delay=</c> is arrival to now.
    /// </summary>
    private static void LogRecipient(ILogger logger, QueueEntry entry, EnvelopeRecipient recipient, string relay, RecipientOutcome outcome,
        DateTimeOffset start, TimeSpan connectionSetup, TimeSpan transmission, DateTimeOffset end)
    {
        DateTimeOffset arrival = entry.Envelope.ArrivalTime;
        string delay = Seconds(end - arrival);
        string delays = string.Concat(Seconds(entry.QueuedAt - arrival), "/", Seconds(start - entry.QueuedAt), "/", Seconds(connectionSetup), "/", Seconds(transmission));
        string status = outcome.Status switch
        {
            DeliveryStatus.Sent => "sent",
            DeliveryStatus.Bounced => "bounced",
            _ => "deferred",
        };
        RecordMetrics(relay, outcome.Status, end - arrival);

        if (string.Equals(recipient.Address, recipient.OriginalAddress, StringComparison.OrdinalIgnoreCase))
        {
            QueueMaillog.RecipientStatus(logger, entry.Id, recipient.Address, relay, delay, delays, outcome.Dsn, status, outcome.Text);
        }
        else
        {
            QueueMaillog.RecipientStatusWithOriginal(logger, entry.Id, recipient.Address, recipient.OriginalAddress, relay, delay, delays, outcome.Dsn, status, outcome.Text);
        }
    }

    private static void RecordMetrics(string relay, DeliveryStatus status, TimeSpan delay)
    {
        KeyValuePair<string, object?> transport = MailroomMetrics.Tag("transport", relay == "local" ? "local" : "remote");
        switch (status)
        {
            case DeliveryStatus.Sent:
                MailroomMetrics.MessagesDelivered.Add(1, transport);
                MailroomMetrics.DeliveryDuration.Record(Math.Max(0, delay.TotalSeconds), transport);
                break;
            case DeliveryStatus.Bounced:
                MailroomMetrics.MessagesBounced.Add(1, transport);
                break;
            default:
                MailroomMetrics.MessagesDeferred.Add(1, transport);
                break;
        }
    }

    private static string Seconds(TimeSpan time) =>
        Math.Max(0, time.TotalSeconds).ToString("0.##", CultureInfo.InvariantCulture);

    private void Remove(QueueEntry entry)
    {
        File.Delete(entry.Path);
        if (entry.MayHaveStatus || entry.IsDeferred)
        {
            TryDelete(Path.Combine(Directories.Active, entry.Id + RecipientStatusFile.Extension));
            TryDelete(Path.Combine(Directories.Deferred, entry.Id + RecipientStatusFile.Extension));
        }

        entry.RetryTimer?.Dispose();
        if (entry.NextAttempt is not null)
        {
            TryDelete(DeferLogPath(entry.Id));
        }

        _entries.TryRemove(entry.Id, out _);
        QueueMaillog.Removed(_qmgrLog, entry.Id);
    }

    /// <summary>
    /// Moves a message with pending recipients to <c>deferred/</c> (sidecar first, so the data file is never
    /// without its status). No directory fsync: recovery reads both directories, so either place is right.
    /// </summary>
    private void MoveToDeferred(QueueEntry entry)
    {
        string statusSource = entry.StatusPath;
        string statusTarget = Path.Combine(Directories.Deferred, entry.Id + RecipientStatusFile.Extension);
        if (File.Exists(statusSource))
        {
            if (File.Exists(statusTarget))
            {
                // Left by a crash during an earlier move: keep both sets of lines.
                File.AppendAllBytes(statusTarget, File.ReadAllBytes(statusSource));
                File.Delete(statusSource);
            }
            else
            {
                File.Move(statusSource, statusTarget, overwrite: false);
            }
        }

        string target = Path.Combine(Directories.Deferred, entry.Id);
        File.Move(entry.Path, target, overwrite: true);
        entry.Path = target;
        entry.IsDeferred = true;
        entry.MayHaveStatus = true;
    }
}
