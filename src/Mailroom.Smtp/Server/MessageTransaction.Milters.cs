using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Policy.Milter;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>The milters and the spam marker at the end of the content, between this server's checks and the commit.</summary>
internal sealed partial class MessageTransaction
{
    /// <summary>
    /// DATA (or the first BDAT) to the milters, before the 354 or the chunk is read, as Postfix's <c>data_cmd</c> does: their
    /// refusal is the reply to the command (logged as a refusal of this message), or null to go on.
    /// </summary>
    public async ValueTask<SmtpReply?> MilterDataRefusalAsync(string command)
    {
        if (_session.Milters is not { } milters)
        {
            return null;
        }

        MilterDecision decision = await milters.DataAsync(_session.MilterFacts() with { QueueId = QueueId, Sender = _envelope.Sender }).ConfigureAwait(false);
        if (!decision.Refuses)
        {
            return null;
        }

        var reply = new SmtpReply(decision.ReplyCode, decision.ReplyDsn, decision.ReplyText);
        LogRefusal(command, reply);
        return reply;
    }

    /// <summary>
    /// Asks the session's milters about the message at its end: a refusal is the reply to give (250 for a discard, which then
    /// commits nothing); otherwise their header and body edits are written into the spool, their envelope changes and
    /// a quarantine go into the annotation, and null is returned.
    /// </summary>
    private async ValueTask<SmtpReply?> MilterRefusalAsync(CancellationToken cancellationToken)
    {
        if (_session.Milters is not { } milters)
        {
            return null;
        }

        string prefix = _annotation?.HeaderPrefix ?? "";
        using MilterVerdict verdict = await CheckAsync(milters, prefix, cancellationToken).ConfigureAwait(false);
        switch (verdict.Kind)
        {
            case MilterVerdictKind.Discard:
                return new SmtpReply(250, "2.0.0", $"Ok: queued as {QueueId}");
            case MilterVerdictKind.Reject or MilterVerdictKind.Tempfail:
                return new SmtpReply(verdict.ReplyCode, verdict.ReplyDsn, verdict.ReplyText);
            default:
                break;
        }

        Envelope? envelope = null;
        if (verdict.ChangesEnvelope)
        {
            envelope = await ReviseEnvelopeAsync(verdict, cancellationToken).ConfigureAwait(false);
            if (envelope is null)
            {
                return SmtpReplies.TemporaryLookupFailure;
            }

            if (envelope.Recipients.Count == 0)
            {
                // Every recipient removed: nothing is left to deliver; as a discard.
                return new SmtpReply(250, "2.0.0", $"Ok: queued as {QueueId}");
            }
        }

        bool rewritten = verdict.ChangesContent;
        if (rewritten)
        {
            await using Stream original = _submission.OpenWrittenContent();
            await _submission.ReplaceContentAsync((destination, ct) => MilterChain.WriteModifiedAsync(verdict, prefix, original, destination, ct), cancellationToken).ConfigureAwait(false);
            prefix = "";
        }

        if (envelope is not null || verdict.QuarantineReason is not null || rewritten)
        {
            _annotation = (_annotation ?? new MessageAnnotation("", null, false)) with
            {
                HeaderPrefix = prefix,
                Envelope = envelope,
                HoldReason = verdict.QuarantineReason,
            };
        }

        return null;
    }

    private async ValueTask<MilterVerdict> CheckAsync(MilterSession milters, string prefix, CancellationToken cancellationToken)
    {
        MilterMessage facts = _session.MilterFacts() with { QueueId = QueueId, Sender = _envelope.Sender, Size = Pump.Scanner.Size };
        await using Stream content = _submission.OpenWrittenContent();
        return await milters.MessageAsync(facts, prefix, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The envelope after the milters: the sender changed, recipients deleted and added (an
    /// added one is routed as RCPT would route it, without the relay check: the milter is trusted, as in Postfix). Null
    /// when the directory cannot answer.
    /// </summary>
    private async ValueTask<Envelope?> ReviseEnvelopeAsync(MilterVerdict verdict, CancellationToken cancellationToken)
    {
        string sender = _envelope.Sender;
        var recipients = _envelope.Recipients.ToList();
        foreach (MilterModification modification in verdict.Modifications)
        {
            switch (modification)
            {
                case SenderChanged changed:
                    sender = changed.Address;
                    break;
                case RecipientDeleted deleted:
                    recipients.RemoveAll(r => string.Equals(r.OriginalAddress, deleted.Address, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(r.Address, deleted.Address, StringComparison.OrdinalIgnoreCase));
                    break;
                case RecipientAdded added:
                    IReadOnlyList<EnvelopeRecipient>? routed = await RouteAsync(added.Address, cancellationToken).ConfigureAwait(false);
                    if (routed is null)
                    {
                        return null;
                    }

                    recipients.AddRange(routed.Where(n => !recipients.Exists(r => r.Route == n.Route && string.Equals(r.Address, n.Address, StringComparison.OrdinalIgnoreCase))));
                    break;
                default:
                    break;
            }
        }

        return _envelope with { Sender = sender, Recipients = recipients };
    }

    private async ValueTask<IReadOnlyList<EnvelopeRecipient>?> RouteAsync(string address, CancellationToken cancellationToken)
    {
        RecipientResolution resolution;
        try
        {
            resolution = await _session.Context.Directory.ResolveRecipientAsync(address, cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException ex)
        {
            SmtpLog.DirectoryFailed(_session.Context.Diagnostics, ex, address);
            return null;
        }

        EnvelopeRecipient Recipient(string target, RecipientRoute route) => new() { Address = target, OriginalAddress = address, Route = route };
        return resolution.Status switch
        {
            RecipientStatus.Resolved => [.. resolution.LocalMailboxes.Select(m => Recipient(m, RecipientRoute.Local)), .. resolution.ExternalAddresses.Select(a => Recipient(a, RecipientRoute.Remote))],
            RecipientStatus.NotLocal => [Recipient(address, RecipientRoute.Remote)],

            // A local address nobody has: local delivery bounces it, as Postfix's would.
            _ => [Recipient(address, RecipientRoute.Local)],
        };
    }

    /// <summary>
    /// A message a filter marked as spam (<see cref="SmtpOptions.SpamHeaders"/>) is recorded as such; local delivery files
    /// it in the Junk folder of each recipient who keeps spam-to-Junk on. DMARC's quarantine already goes to Junk for all.
    /// </summary>
    private async ValueTask MarkSpamAsync(CancellationToken cancellationToken)
    {
        Policy.SpamHeaders spam = _session.Context.SpamHeaders;
        if (spam.IsEmpty || _annotation?.Quarantine == true)
        {
            return;
        }

        bool marked;
        await using (Stream content = _submission.OpenWrittenContent())
        {
            marked = await spam.MarksAsync(_annotation?.HeaderPrefix ?? "", content, cancellationToken).ConfigureAwait(false);
        }

        if (marked)
        {
            _annotation = (_annotation ?? new MessageAnnotation("", null, false)) with { Spam = true };
        }
    }
}
