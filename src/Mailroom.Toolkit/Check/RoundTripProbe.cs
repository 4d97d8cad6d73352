using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Toolkit.Check;

/// <summary>
/// Receipt round trip with MailKit: send a uniquely tagged message over SMTP, find it over IMAP and/or POP3,
/// report the latency, then delete it.
/// </summary>
internal static partial class RoundTripProbe
{
    public static async Task<(IReadOnlyList<CheckResult> Results, string? QueueId)> RunAsync(CheckSettings settings, ServiceSpec smtp, ServiceSpec? imap, ServiceSpec? pop3, TimeProvider time, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        string tag = $"mailroom-check-{Guid.NewGuid():N}";
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(settings.To!));
        message.Subject = tag;
        message.MessageId = $"{tag}@mailroom-check.invalid";
        message.Body = new TextPart("plain") { Text = "Round-trip test message sent by mailroom check; it deletes it again." };

        long sent;
        string? queueId;
        try
        {
            using var client = new SmtpClient(settings.Trace?.Logger($"{smtp.Name} {smtp.Port}") ?? new NullProtocolLogger()) { Timeout = (int)settings.Timeout.TotalMilliseconds, ServerCertificateValidationCallback = (_, _, _, _) => true };
            await client.ConnectAsync(settings.Host, smtp.Port, smtp.ImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, cancellationToken).ConfigureAwait(false);
            sent = time.GetTimestamp();
            string reply = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            Match match = QueuedAs().Match(reply);
            queueId = match.Success ? match.Groups[1].Value : null;
            results.Add(new CheckResult("round trip", $"{smtp.Name} {smtp.Port}", CheckStatus.Pass, $"sent to {settings.To}: {reply}"));
        }
        catch (Exception ex) when (ex is IOException or SocketException or CommandException or ProtocolException or SslHandshakeException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            results.Add(new CheckResult("round trip", $"{smtp.Name} {smtp.Port}", CheckStatus.Fail, $"sending failed: {ex.Message}"));
            return (results, null);
        }

        var credentials = new System.Net.NetworkCredential(settings.User, settings.Password);
        if (imap is not null)
        {
            results.Add(await FindOverImapAsync(settings, imap, credentials, message.MessageId, sent, deleteIt: pop3 is null, time, cancellationToken).ConfigureAwait(false));
        }

        if (pop3 is not null)
        {
            results.Add(await FindOverPop3Async(settings, pop3, credentials, message.MessageId, sent, time, cancellationToken).ConfigureAwait(false));
        }

        return (results, queueId);
    }

    [GeneratedRegex(@"queued as ([0-9A-Za-z]+)")]
    private static partial Regex QueuedAs();

    private static async Task<CheckResult> FindOverImapAsync(CheckSettings settings, ServiceSpec imap, System.Net.NetworkCredential credentials, string messageId, long sent, bool deleteIt, TimeProvider time, CancellationToken cancellationToken)
    {
        string target = $"{imap.Name} {imap.Port}";
        try
        {
            using var client = new ImapClient(settings.Trace?.Logger($"{imap.Name} {imap.Port}") ?? new NullProtocolLogger()) { Timeout = (int)settings.Timeout.TotalMilliseconds, ServerCertificateValidationCallback = (_, _, _, _) => true };
            await client.ConnectAsync(settings.Host, imap.Port, imap.ImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
            IMailFolder inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
            for (int attempt = 0; time.GetElapsedTime(sent) < settings.DeliveryTimeout; attempt++)
            {
                IList<UniqueId> found = await inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken).ConfigureAwait(false);
                if (found.Count > 0)
                {
                    TimeSpan latency = time.GetElapsedTime(sent);
                    if (deleteIt)
                    {
                        await inbox.AddFlagsAsync(found, MessageFlags.Deleted, true, cancellationToken).ConfigureAwait(false);
                        await inbox.ExpungeAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
                    return new CheckResult("round trip", target, CheckStatus.Pass, string.Create(CultureInfo.InvariantCulture, $"found over IMAP after {latency.TotalMilliseconds:F0} ms{(deleteIt ? ", deleted" : string.Empty)}"));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * (attempt + 1))), time, cancellationToken).ConfigureAwait(false);
                await inbox.CheckAsync(cancellationToken).ConfigureAwait(false);
            }

            return new CheckResult("round trip", target, CheckStatus.Fail, string.Create(CultureInfo.InvariantCulture, $"not found over IMAP within {settings.DeliveryTimeout.TotalSeconds:F0} s"));
        }
        catch (Exception ex) when (ex is IOException or SocketException or CommandException or ProtocolException or SslHandshakeException or AuthenticationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new CheckResult("round trip", target, CheckStatus.Fail, $"IMAP: {ex.Message}");
        }
    }

    private static async Task<CheckResult> FindOverPop3Async(CheckSettings settings, ServiceSpec pop3, System.Net.NetworkCredential credentials, string messageId, long sent, TimeProvider time, CancellationToken cancellationToken)
    {
        string target = $"{pop3.Name} {pop3.Port}";
        try
        {
            for (int attempt = 0; time.GetElapsedTime(sent) < settings.DeliveryTimeout; attempt++)
            {
                // POP3 shows a snapshot per session (RFC 1939 §5), so each look is a new login.
                using var client = new Pop3Client(settings.Trace?.Logger($"{pop3.Name} {pop3.Port}") ?? new NullProtocolLogger()) { Timeout = (int)settings.Timeout.TotalMilliseconds, ServerCertificateValidationCallback = (_, _, _, _) => true };
                await client.ConnectAsync(settings.Host, pop3.Port, pop3.ImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, cancellationToken).ConfigureAwait(false);
                await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
                for (int i = client.Count - 1; i >= 0; i--)
                {
                    HeaderList headers = await client.GetMessageHeadersAsync(i, cancellationToken).ConfigureAwait(false);
                    if (headers[HeaderId.MessageId]?.Contains(messageId, StringComparison.Ordinal) == true)
                    {
                        TimeSpan latency = time.GetElapsedTime(sent);
                        await client.DeleteMessageAsync(i, cancellationToken).ConfigureAwait(false);
                        await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
                        return new CheckResult("round trip", target, CheckStatus.Pass, string.Create(CultureInfo.InvariantCulture, $"found over POP3 after {latency.TotalMilliseconds:F0} ms, deleted"));
                    }
                }

                await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * (attempt + 1))), time, cancellationToken).ConfigureAwait(false);
            }

            return new CheckResult("round trip", target, CheckStatus.Fail, string.Create(CultureInfo.InvariantCulture, $"not found over POP3 within {settings.DeliveryTimeout.TotalSeconds:F0} s"));
        }
        catch (Exception ex) when (ex is IOException or SocketException or CommandException or ProtocolException or SslHandshakeException or AuthenticationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new CheckResult("round trip", target, CheckStatus.Fail, $"POP3: {ex.Message}");
        }
    }
}
