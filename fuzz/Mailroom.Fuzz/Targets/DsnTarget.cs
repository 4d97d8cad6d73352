using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Core;
using Mailroom.Queue.Bounces;
using Mailroom.Queue.Delivery.Remote;
using Mailroom.Smtp.Cleanup;
using MimeKit;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// Delivery status notifications (RFC 3464) built from what clients and remote servers sent: the envelope sender
/// and ENVID (as the SMTP parser accepted them), ORCPT (RFC 3461 §4.2 xtext), a remote server's reply (its enhanced
/// code, RFC 3463) and the original message, attached whole or as its header block. The input is NUL-separated:
/// sender, ORCPT, remote reply, ENVID, then the original message as the client sent it. Every header of the report must stay one field:
/// decoded xtext must not be able to start a new header line.
/// </summary>
internal sealed partial class DsnTarget : FuzzTarget
{
    public override string Name => "dsn";

    public override string Description => "DSN building: ORCPT xtext, remote reply codes, original headers and message";

    public override string? Dictionary => "mime.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        string[] fields = SplitFields(input, 4, out byte[] original);
        if (fields.Length < 4 || !EmailAddress.TryParse(fields[0], out _))
        {
            // The queue bounces only to a sender the SMTP parser accepted (never to the null sender).
            return;
        }

        string remoteReply = fields[2];
        int code = remoteReply.Length >= 3 && int.TryParse(remoteReply.AsSpan(0, 3), out int parsed) ? parsed : 550;
        string status = SmtpReply.Dsn(code, remoteReply.Length > 4 ? remoteReply[4..] : "");
        // RFC 3463 §3.1: class "." subject "." detail, and the class is 2, 4 or 5.
        if (!StatusCode().IsMatch(status))
        {
            throw new FuzzFailureException($"reply {remoteReply} gave status {status}");
        }

        _ = OriginalRecipient.TryParse(fields[1], out _, out _);
        var envelope = new Envelope
        {
            Sender = fields[0],
            EnvelopeId = fields[3].Length > 0 ? fields[3] : null,
            ArrivalTime = new DateTimeOffset(2024, 2, 7, 21, 52, 25, TimeSpan.Zero),
            Recipients =
            [
                new EnvelopeRecipient
                {
                    Address = "rcpt@example.org",
                    OriginalAddress = "rcpt@example.org",
                    Route = RecipientRoute.Remote,
                    OriginalRecipientParameter = fields[1].Length > 0 ? fields[1] : null,
                },
            ],
        };
        var recipient = new DsnRecipient(envelope.Recipients[0], "failed", status, "host mx.example.net said: " + SmtpReply.Format(code, remoteReply), "mx.example.net", SmtpReply.Format(code, remoteReply));
        // The queue's copy of a message is what the SMTP server wrote: its Received header, then the client's content
        // with only CRLF line ends (bare CR and LF are refused or normalised before) and a blank line inserted by
        // cleanup where a header section ends without one.
        byte[] queued = AsQueued(WithCrlfLineEnds(original));
        foreach (bool full in (bool[])[false, true])
        {
            using var originalStream = new MemoryStream(queued, writable: false);
            using MimeMessage dsn = DsnMessageBuilder.BuildAsync("mx.example.org", "5E4A5BA2D4", envelope, DsnKind.Failure, [recipient], originalStream, full, envelope.ArrivalTime, CancellationToken.None)
                .GetAwaiter().GetResult();
            using var written = new MemoryStream();
            dsn.WriteTo(written);
            CheckFieldsStayFields(dsn);
        }
    }

    private static byte[] AsQueued(byte[] content)
    {
        using var queued = new MemoryStream();
        var cleanup = new CleanupWriter(queued, missingHeaders: null);
        cleanup.WriteTraceAsync("Received: from client.example.net (client.example.net [192.0.2.1])\r\n\tby mx.example.org (Mailroom) with ESMTP id 5E4A5BA2D4\r\n", CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
        cleanup.WriteAsync(content, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        cleanup.CompleteAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return queued.ToArray();
    }

    private static byte[] WithCrlfLineEnds(byte[] content)
    {
        var normalized = new List<byte>(content.Length);
        for (int i = 0; i < content.Length; i++)
        {
            byte b = content[i];
            if (b == (byte)'\r' && i + 1 < content.Length && content[i + 1] == (byte)'\n')
            {
                continue;
            }

            if (b is (byte)'\r' or (byte)'\n')
            {
                normalized.Add((byte)'\r');
                normalized.Add((byte)'\n');
            }
            else
            {
                normalized.Add(b);
            }
        }

        return [.. normalized];
    }

    private static string[] SplitFields(ReadOnlySpan<byte> input, int count, out byte[] rest)
    {
        List<string> fields = [];
        while (fields.Count < count)
        {
            int nul = input.IndexOf((byte)0);
            if (nul < 0)
            {
                rest = [];
                return [.. fields];
            }

            fields.Add(Encoding.UTF8.GetString(input[..nul]));
            input = input[(nul + 1)..];
        }

        rest = input.ToArray();
        return [.. fields];
    }

    private static void CheckFieldsStayFields(MimeMessage dsn)
    {
        foreach (MimeEntity part in dsn.BodyParts)
        {
            if (part is MessageDeliveryStatus status)
            {
                foreach (HeaderList group in status.StatusGroups)
                {
                    foreach (Header header in group)
                    {
                        CheckFolding(header);
                    }
                }
            }
        }

        foreach (Header header in dsn.Headers)
        {
            CheckFolding(header);
        }
    }

    /// <summary>A line break inside a field value is only allowed as folding (CRLF then a space or tab, RFC 5322 §2.2.3).</summary>
    private static void CheckFolding(Header header)
    {
        byte[] raw = header.RawValue;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] is (byte)'\r' or (byte)'\n')
            {
                int next = raw[i] == (byte)'\r' && i + 1 < raw.Length && raw[i + 1] == (byte)'\n' ? i + 2 : i + 1;
                if (next < raw.Length && raw[next] is not ((byte)' ' or (byte)'\t'))
                {
                    throw new FuzzFailureException($"{header.Field} value starts a new line: {Encoding.UTF8.GetString(raw).Trim()}");
                }

                i = next - 1;
            }
        }
    }

    [GeneratedRegex(@"^[245]\.[0-9]{1,3}\.[0-9]{1,3}$")]
    private static partial Regex StatusCode();
}
