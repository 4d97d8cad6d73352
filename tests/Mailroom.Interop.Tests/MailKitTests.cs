using System.Security.Cryptography;
using System.Text;
using Mailroom.Interop.Tests.Support;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>MailKit's SmtpClient, the .NET client most applications send with, against the real program.</summary>
public sealed class MailKitTests(SharedServer shared)
{
    private readonly MailroomServer _server = shared.Server;

    [Fact]
    public async Task SubmissionWithStarttlsAndAuthSendsABinaryAttachmentWithBdat()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string tag = SharedServer.NewTag("mailkit");
        byte[] payload = RandomNumberGenerator.GetBytes(48 * 1024);
        var message = NewMessage(SharedServer.Samt, tag);
        var builder = new BodyBuilder { TextBody = "binary attachment follows" };
        builder.Attachments.Add("payload.bin", payload, new ContentType("application", "octet-stream"));
        message.Body = builder.ToMessageBody();

        using var protocolLog = new MemoryStream();
        using (var client = await ConnectAsync(protocolLog, ct))
        {
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Chunking), "CHUNKING is not advertised");
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }

        string dialogue = Encoding.UTF8.GetString(protocolLog.ToArray());
        Assert.Contains("C: BDAT ", dialogue, StringComparison.Ordinal);
        Assert.Contains("250 2.0.0 Ok: queued as ", dialogue, StringComparison.Ordinal);

        byte[] delivered = await Maildir.WaitForMessageAsync(_server.DataDirectory, SharedServer.Samt, $"X-Tag: {tag}");
        using var stream = new MemoryStream(delivered);
        MimeMessage received = await MimeMessage.LoadAsync(stream, ct);
        var attachment = Assert.IsType<MimePart>(Assert.Single(received.Attachments));
        Assert.NotNull(attachment.Content);
        using var decoded = new MemoryStream();
        await attachment.Content.DecodeToAsync(decoded, ct);
        Assert.Equal(payload, decoded.ToArray());
    }

    [Fact]
    public async Task NonAsciiRecipientLocalPartIsDeliveredWithSmtpUtf8()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string tag = SharedServer.NewTag("utf8");
        string recipient = $"jörg.müller-{tag[^8..]}@example.org";
        ProcessResult added = await _server.RunAdminAsync(["user", "add", recipient, "--password-stdin"], MailroomServer.Password + "\n");
        if (added.ExitCode != 0)
        {
            Assert.Skip($"the directory does not accept a non-ASCII local part: {added.StandardError.Trim()}");
        }

        var message = NewMessage(recipient, tag);
        message.Body = new TextPart("plain") { Text = $"Grüße {tag}" };
        using var protocolLog = new MemoryStream();
        using (var client = await ConnectAsync(protocolLog, ct))
        {
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.UTF8), "SMTPUTF8 is not advertised");
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }

        Assert.Contains("SMTPUTF8", Encoding.UTF8.GetString(protocolLog.ToArray()), StringComparison.Ordinal);
        await Maildir.WaitForMessageAsync(_server.DataDirectory, recipient, $"X-Tag: {tag}");
    }

    private static MimeMessage NewMessage(string to, string tag)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(SharedServer.Alice));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "MailKit interop";
        message.Headers.Add("X-Tag", tag);
        return message;
    }

    private async Task<SmtpClient> ConnectAsync(Stream protocolLog, CancellationToken ct)
    {
        var client = new ChunkingSmtpClient(new ProtocolLogger(protocolLog, leaveOpen: true))
        {
            // The server's certificate is the self-signed one generated on first run.
            ServerCertificateValidationCallback = (_, _, _, _) => true,
            LocalDomain = "client.example.org",
            Timeout = 15_000,
        };
        await client.ConnectAsync("127.0.0.1", _server.SubmissionPort, SecureSocketOptions.StartTls, ct);
        Assert.True(client.IsSecure);
        await client.AuthenticateAsync(SharedServer.Alice, MailroomServer.Password, ct);
        return client;
    }
}
