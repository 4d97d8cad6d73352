using Mailroom.Core;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>The recipient's filter consulted before the reply to DATA (a Sieve reject answered in the dialogue).</summary>
internal sealed partial class MessageTransaction
{
    /// <summary>
    /// RFC 5429 §2.1: a Sieve <c>reject</c>/<c>ereject</c> is best answered in the SMTP dialogue, before the message is
    /// accepted, when the script runs before the reply to DATA. That is possible for a message to exactly one local
    /// mailbox (with several recipients one reply cannot refuse one of them): the filter decides on the message as
    /// written, without side effects, and a reject becomes <c>550 5.7.1 reason</c>. Everything else is decided again at
    /// delivery, where a reject becomes a delivery status notification. A filter that cannot decide refuses nothing.
    /// Mail DMARC quarantines is not filtered (local delivery files it into Junk unfiltered), so it is not refused here;
    /// nor is spam-marked mail, which goes unfiltered to Junk or through the filter into INBOX by the recipient's own
    /// switch, decided at delivery.
    /// </summary>
    private async ValueTask<SmtpReply?> FilterRefusalAsync(CancellationToken cancellationToken)
    {
        SmtpServerContext context = _session.Context;
        IReadOnlyList<EnvelopeRecipient> recipients = _session.Recipients;
        if (context.Filter is null || recipients.Count != 1 || recipients[0].Route != RecipientRoute.Local || _annotation is { Quarantine: true } or { Spam: true })
        {
            return null;
        }

        var request = new Core.Filtering.FilterRequest
        {
            QueueId = QueueId,
            Envelope = _session.BuildEnvelope(),
            Recipient = recipients[0],
            OpenMessage = OpenAnnotatedContent,
            Phase = Core.Filtering.FilterPhase.BeforeAcceptance,
        };
        Core.Filtering.FilterDecision decision;
        try
        {
            decision = await context.Filter.DecideAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SmtpLog.QueueWriteFailed(context.Diagnostics, ex, QueueId);
            return null;
        }

        return decision.Reject is { } reject ? new SmtpReply(550, "5.7.1", ReplyText(reject.Reason)) : null;
    }

    /// <summary>A reply line for the reason: printable ASCII on one line, bounded (RFC 5321 §4.5.3.1.5).</summary>
    private static string ReplyText(string reason)
    {
        var text = new System.Text.StringBuilder(Math.Min(reason.Length, 400));
        foreach (char c in reason)
        {
            if (text.Length >= 400)
            {
                break;
            }

            text.Append(c is >= ' ' and < '\u007f' ? c : c is '\r' or '\n' or '\t' ? ' ' : '?');
        }

        string line = text.ToString().Trim();
        return line.Length == 0 ? "Message rejected" : line;
    }

    /// <summary>The message as it will be queued: the checks' header fields (Authentication-Results) in front of the content written.</summary>
    private Stream OpenAnnotatedContent()
    {
        Stream written = _submission.OpenWrittenContent();
        return _annotation is { HeaderPrefix.Length: > 0 } annotation
            ? new PrefixedStream(System.Text.Encoding.ASCII.GetBytes(annotation.HeaderPrefix), written)
            : written;
    }
}
