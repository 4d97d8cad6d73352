using Mailroom.Sieve.Runtime;
using MimeKit;
using MimeKit.Utils;

namespace Mailroom.Sieve.Delivery;

/// <summary>
/// Builds the vacation reply (RFC 5230 §5, RFC 3834 §3): to the sender, <c>Auto-Submitted: auto-replied</c>,
/// <c>In-Reply-To</c> and <c>References</c> threading it to the original, "Auto: " + the original subject unless
/// <c>:subject</c> says otherwise, the reason as UTF-8 text (or as a MIME entity with <c>:mime</c>).
/// </summary>
internal static class VacationReply
{
    public static byte[] Build(VacationAction vacation, SieveMessage original, string hostName, DateTimeOffset now)
    {
        using var reply = new MimeMessage();
        reply.Headers.Add("X-Sieve", "Mailroom Sieve");
        reply.MessageId = MimeUtils.GenerateMessageId(hostName);
        reply.Date = now;
        reply.From.Add(MailboxAddress.TryParse(vacation.From ?? vacation.ReplyFrom, out MailboxAddress? from) ? from : new MailboxAddress("", vacation.ReplyFrom));
        reply.To.Add(new MailboxAddress("", vacation.Recipient));
        reply.Subject = vacation.Subject ?? (original.GetFirstHeader("subject") is { Length: > 0 } subject ? "Auto: " + subject : "Automated reply");

        // RFC 5230 §5.8: thread the reply to the original.
        if (original.GetFirstHeader("message-id") is { Length: > 0 } messageId)
        {
            string id = messageId.Trim('<', '>', ' ');
            reply.InReplyTo = id;
            string references = original.GetFirstHeader("references") ?? "";
            foreach (string reference in references.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                reply.References.Add(reference.Trim('<', '>'));
            }

            reply.References.Add(id);
        }

        reply.Headers.Add("Auto-Submitted", "auto-replied (vacation)");
        reply.Headers.Add("Precedence", "bulk");
        reply.Headers.Add("X-Auto-Response-Suppress", "All");
        reply.Body = vacation.Mime ? MimeEntity.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(vacation.Reason))) : Text(vacation.Reason);

        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var output = new MemoryStream();
        reply.WriteTo(format, output);
        return output.ToArray();
    }

    private static TextPart Text(string reason)
    {
        var part = new TextPart("plain") { Text = reason.ReplaceLineEndings("\r\n") };
        part.ContentType.Charset = "utf-8";
        // 7-bit safe whatever the next hop supports (the reply may leave by a relay without 8BITMIME).
        part.ContentTransferEncoding = reason.All(c => c < 0x80) ? ContentEncoding.SevenBit : ContentEncoding.QuotedPrintable;
        return part;
    }
}
