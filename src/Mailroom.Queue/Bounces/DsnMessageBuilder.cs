using System.Globalization;
using System.Text;
using Mailroom.Core;
using Mailroom.Queue.Delivery.Remote;
using MimeKit;
using MimeKit.Utils;

namespace Mailroom.Queue.Bounces;

/// <summary>
/// Builds a delivery status notification (RFC 3464): <c>multipart/report; report-type=delivery-status</c>
/// with a human-readable part, the <c>message/delivery-status</c> part, and the original message
/// (<c>message/rfc822</c>) or only its headers (<c>text/rfc822-headers</c>), as RET asked (RFC 3461 §4.3).
/// </summary>
internal static class DsnMessageBuilder
{
    /// <summary>The longest header block copied into a <c>text/rfc822-headers</c> part.</summary>
    private const int MaxHeaderBytes = 256 * 1024;

    public static async Task<MimeMessage> BuildAsync(string reportingMta, string queueId, Envelope envelope, DsnKind kind,
        IReadOnlyList<DsnRecipient> recipients, Stream original, bool fullMessage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@" + reportingMta));
        // To only shows whom the report is for; the envelope decides where it goes. A sender SMTP took but MimeKit
        // cannot parse (a domain literal it rejects, found by fuzzing) leaves the optional field out (RFC 5322 §3.6)
        // rather than losing the report.
        if (MailboxAddress.TryParse(envelope.Sender, out MailboxAddress? to))
        {
            message.To.Add(to);
        }

        message.Subject = kind switch
        {
            DsnKind.Failure => "Undelivered Mail Returned to Sender",
            DsnKind.Delay => "Delayed Mail (still being retried)",
            _ => "Successful Mail Delivery Report",
        };
        message.Date = now;
        message.MessageId = MimeUtils.GenerateMessageId(reportingMta);

        // RFC 3834 §5: automatic responses are marked so that no one answers them automatically.
        message.Headers.Add("Auto-Submitted", "auto-replied");

        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = HumanReadable(reportingMta, kind, recipients) },
            DeliveryStatus(reportingMta, queueId, envelope, recipients),
        };

        if (fullMessage)
        {
            MimeMessage originalMessage = await MimeMessage.LoadAsync(original, persistent: true, cancellationToken).ConfigureAwait(false);
            report.Add(new MessagePart("rfc822") { Message = originalMessage });
        }
        else
        {
            byte[] headers = await ReadHeaderBlockAsync(original, cancellationToken).ConfigureAwait(false);
            report.Add(new MimePart("text", "rfc822-headers")
            {
                Content = new MimeContent(new MemoryStream(headers, writable: false)),
                ContentTransferEncoding = ContentEncoding.EightBit,
            });
        }

        message.Body = report;
        return message;
    }

    private static string HumanReadable(string reportingMta, DsnKind kind, IReadOnlyList<DsnRecipient> recipients)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"This is the mail system at host {reportingMta}.\n\n");
        text.Append(kind switch
        {
            DsnKind.Failure => "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n",
            DsnKind.Delay => "####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for some time.\nIt will be retried until it is too old.\n\n",
            _ => "Your message was successfully delivered to the destination(s)\nlisted below.\n\n",
        });
        foreach (DsnRecipient recipient in recipients)
        {
            text.Append(CultureInfo.InvariantCulture, $"<{recipient.Recipient.Address}>: {recipient.Text}\n");
        }

        return text.ToString();
    }

    private static MessageDeliveryStatus DeliveryStatus(string reportingMta, string queueId, Envelope envelope, IReadOnlyList<DsnRecipient> recipients)
    {
        var part = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", "dns; " + reportingMta },
            { "X-Mailroom-Queue-ID", queueId },
        };
        if (envelope.EnvelopeId is not null)
        {
            perMessage.Add("Original-Envelope-Id", envelope.EnvelopeId);
        }

        perMessage.Add("Arrival-Date", DateUtils.FormatDate(envelope.ArrivalTime));
        part.StatusGroups.Add(perMessage);
        foreach (DsnRecipient recipient in recipients)
        {
            var fields = new HeaderList { { "Final-Recipient", "rfc822; " + recipient.Recipient.Address } };
            if (OriginalRecipient.TryParse(recipient.Recipient.OriginalRecipientParameter, out string? type, out string? address))
            {
                fields.Add("Original-Recipient", $"{type}; {address}");
            }

            fields.Add("Action", recipient.Action);
            fields.Add("Status", recipient.Status);
            if (recipient.RemoteMta is not null)
            {
                fields.Add("Remote-MTA", "dns; " + recipient.RemoteMta);
            }

            fields.Add("Diagnostic-Code", recipient.RemoteReply is not null ? "smtp; " + recipient.RemoteReply : "X-Mailroom; " + recipient.Text);
            part.StatusGroups.Add(fields);
        }

        return part;
    }

    private static async Task<byte[]> ReadHeaderBlockAsync(Stream original, CancellationToken cancellationToken)
    {
        using var headers = new MemoryStream();
        byte[] buffer = new byte[8192];
        int matched = 0;
        while (headers.Length < MaxHeaderBytes)
        {
            int read = await original.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            for (int i = 0; i < read; i++)
            {
                // The header block ends at the first empty line (RFC 5322 §2.1); its CRLF stays out.
                matched = buffer[i] == "\r\n\r\n"u8[matched] ? matched + 1 : buffer[i] == '\r' ? 1 : 0;
                if (matched == 4)
                {
                    headers.Write(buffer, 0, i + 1);
                    headers.SetLength(headers.Length - 2);
                    return headers.ToArray();
                }
            }

            headers.Write(buffer, 0, read);
        }

        return headers.ToArray();
    }
}
