using Mailroom.Core;
using Mailroom.Queue.Bounces;
using Mailroom.Queue.Delivery;

namespace Mailroom.Queue;

public sealed partial class QueueManager
{
    /// <summary>
    /// RFC 3461 §6.2: a failure notice unless NOTIFY=NEVER or NOTIFY without FAILURE; a success notice for
    /// NOTIFY=SUCCESS on final delivery here, or on relay to a next hop that does not support DSN. A null
    /// sender never gets one (RFC 5321 §4.5.5: never bounce a bounce).
    /// </summary>
    private async ValueTask SendNoticesAsync(QueueEntry entry, CancellationToken cancellationToken)
    {
        Envelope envelope = entry.Envelope;
        if (entry.Notices.Count == 0 || envelope.Sender.Length == 0)
        {
            entry.Notices.Clear();
            return;
        }

        var failed = new List<DsnRecipient>();
        var succeeded = new List<DsnRecipient>();
        foreach (DsnCandidate candidate in entry.Notices)
        {
            EnvelopeRecipient recipient = envelope.Recipients[candidate.Index];
            RecipientOutcome outcome = candidate.Outcome;
            string? remoteMta = RemoteMta(candidate.Remote);
            if (outcome.Status == DeliveryStatus.Bounced && (recipient.Notify == DsnNotify.Unspecified || recipient.Notify.HasFlag(DsnNotify.Failure)))
            {
                failed.Add(new DsnRecipient(recipient, "failed", outcome.Dsn, outcome.Text, remoteMta, candidate.Remote?.RemoteReply));
            }
            else if (outcome.Status == DeliveryStatus.Sent && recipient.Notify.HasFlag(DsnNotify.Success))
            {
                if (recipient.Route == RecipientRoute.Local)
                {
                    succeeded.Add(new DsnRecipient(recipient, "delivered", outcome.Dsn, outcome.Text, null, null));
                }
                else if (candidate.Remote is { RelayedWithoutDsn: true })
                {
                    succeeded.Add(new DsnRecipient(recipient, "relayed", outcome.Dsn, outcome.Text, remoteMta, candidate.Remote.RemoteReply));
                }
            }
        }

        entry.Notices.Clear();
        await NotifyAsync(entry, DsnKind.Failure, failed, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(entry, DsnKind.Success, succeeded, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Once per message, after <see cref="QueueOptions.DelayWarningTime"/>, for recipients still pending.</summary>
    private async ValueTask WarnIfDelayedAsync(QueueEntry entry, CancellationToken cancellationToken)
    {
        Envelope envelope = entry.Envelope;
        if (_options.DelayWarningTime <= TimeSpan.Zero || entry.Warned || envelope.Sender.Length == 0
            || _time.GetUtcNow() - envelope.ArrivalTime < _options.DelayWarningTime)
        {
            return;
        }

        var delayed = new List<DsnRecipient>();
        for (int i = 0; i < envelope.Recipients.Count; i++)
        {
            EnvelopeRecipient recipient = envelope.Recipients[i];
            bool wanted = recipient.Notify == DsnNotify.Unspecified || recipient.Notify.HasFlag(DsnNotify.Delay);
            if (entry.States[i] == RecipientState.Pending && wanted)
            {
                RecipientOutcome last = entry.LastOutcomes[i] ?? new RecipientOutcome(DeliveryStatus.Deferred, "4.0.0", "delivery temporarily suspended");
                delayed.Add(new DsnRecipient(recipient, "delayed", last.Dsn, last.Text, null, null));
            }
        }

        entry.Warned = true;
        using (var status = new RecipientStatusFile(DeferLogPath(entry.Id)))
        {
            status.AppendWarned();
        }

        await NotifyAsync(entry, DsnKind.Delay, delayed, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask NotifyAsync(QueueEntry entry, DsnKind kind, List<DsnRecipient> recipients, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0)
        {
            return;
        }

        try
        {
            Func<Stream> open = entry.MemoryContent ?? new QueuedMessage(entry.Id, entry.Envelope, entry.Path, entry.ContentOffset, entry.Size).OpenContent;
            await _bounces.SendAsync(entry.Id, entry.Envelope, open, entry.Size, kind, recipients, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or MimeKit.ParseException or Mailroom.Directory.DirectoryUnavailableException)
        {
            // The outcome is logged already; a notice that cannot be queued must not keep the message.
            BounceMaillog.Failed(_logger, entry.Id, ex);
        }
    }

    private static string? RemoteMta(RemoteDeliveryResult? remote)
    {
        if (remote is null || remote.Relay == "none")
        {
            return null;
        }

        int bracket = remote.Relay.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? remote.Relay[..bracket] : remote.Relay;
    }
}
