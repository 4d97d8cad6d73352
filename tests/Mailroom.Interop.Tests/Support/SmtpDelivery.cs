using System.Text;

namespace Mailroom.Interop.Tests.Support;

/// <summary>Sends a small plain-text message to the server's MTA port, as any other host would.</summary>
internal static class SmtpDelivery
{
    public static async Task SendAsync(MailroomServer server, string from, string to, string subject, string body, CancellationToken cancellationToken)
    {
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, cancellationToken);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.org", cancellationToken);
            Assert.StartsWith("250", (await smtp.CommandAsync($"MAIL FROM:<{from}>", cancellationToken))[^1], StringComparison.Ordinal);
            Assert.StartsWith("250", (await smtp.CommandAsync($"RCPT TO:<{to}>", cancellationToken))[^1], StringComparison.Ordinal);
            await smtp.CommandAsync("DATA", cancellationToken);
            var message = new StringBuilder()
                .Append("From: <").Append(from).Append(">\r\n")
                .Append("To: <").Append(to).Append(">\r\n")
                .Append("Subject: ").Append(subject).Append("\r\n\r\n")
                .Append(body).Append("\r\n.");
            IReadOnlyList<string> reply = await smtp.CommandAsync(message.ToString(), cancellationToken);
            Assert.StartsWith("250 2.0.0 Ok: queued as", reply[^1], StringComparison.Ordinal);
            await smtp.CommandAsync("QUIT", cancellationToken);
        }
    }
}
