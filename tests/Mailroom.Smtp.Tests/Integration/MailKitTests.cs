using MailKit;
using Envelope = Mailroom.Core.Envelope;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Core;
using Mailroom.Smtp.Tests.Support;
using MimeKit;

namespace Mailroom.Smtp.Tests.Integration;

public sealed class MailKitTests
{
    [Fact]
    public async Task MailKitSendsInPlaintext()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        using (var client = new SmtpClient())
        {
            await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.None, TestContext.Current.CancellationToken);
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Chunking));
            await client.SendAsync(Message("a@remote.example", "samt@example.org", "alice@example.org"), TestContext.Current.CancellationToken);
            await client.DisconnectAsync(true, TestContext.Current.CancellationToken);
        }

        FakeSubmitter.FakeSubmission message = Assert.Single(server.Submitter.Committed);
        Assert.Equal(["samt@example.org", "alice@example.org"], message.Envelope.Recipients.Select(r => r.Address));
        Assert.Contains("Subject: hello", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\tfor <", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailKitUsesStartTlsAndAuthPlain()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Submission);
        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.StartTls, TestContext.Current.CancellationToken);
            client.AuthenticationMechanisms.Remove("LOGIN");
            await client.AuthenticateAsync("samt@example.org", "secret", TestContext.Current.CancellationToken);
            await client.SendAsync(Message("samt@example.org", "friend@remote.example"), TestContext.Current.CancellationToken);
            await client.DisconnectAsync(true, TestContext.Current.CancellationToken);
        }

        Envelope envelope = Assert.Single(server.Submitter.Committed).Envelope;
        Assert.Equal("ESMTPSA", envelope.Protocol);
        Assert.Equal("samt@example.org", envelope.AuthenticatedUser);
        Assert.Equal(RecipientRoute.Remote, Assert.Single(envelope.Recipients).Route);
    }

    [Fact]
    public async Task MailKitUsesImplicitTlsAndAuthLogin()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Smtps);
        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.SslOnConnect, TestContext.Current.CancellationToken);
            client.AuthenticationMechanisms.Remove("PLAIN");
            await client.AuthenticateAsync("alice@example.org", "wonderland", TestContext.Current.CancellationToken);
            await client.SendAsync(Message("alice@example.org", "samt@example.org"), TestContext.Current.CancellationToken);
            await client.DisconnectAsync(true, TestContext.Current.CancellationToken);
        }

        FakeSubmitter.FakeSubmission message = Assert.Single(server.Submitter.Committed);
        Assert.Equal("alice@example.org", message.Envelope.AuthenticatedUser);
        Assert.Contains("Message-Id: <", message.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MailKitWrongPasswordIsRefused()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync(SmtpListenerRole.Smtps);
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.SslOnConnect, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("alice@example.org", "nope", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MailKitSendsSmtpUtf8AndDsnParametersThatReachTheEnvelope()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        server.Directory.Mailboxes["jörg@example.org"] = "x";
        using (var client = new DsnClient { DeliveryStatusNotificationType = DeliveryStatusNotificationType.HeadersOnly })
        {
            await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.None, TestContext.Current.CancellationToken);
            var message = Message("sénder@remote.example", "jörg@example.org");
            await client.SendAsync(message, TestContext.Current.CancellationToken);
            await client.DisconnectAsync(true, TestContext.Current.CancellationToken);
        }

        Envelope envelope = Assert.Single(server.Submitter.Committed).Envelope;
        Assert.True(envelope.SmtpUtf8);
        Assert.Equal("sénder@remote.example", envelope.Sender);
        Assert.Equal("UTF8SMTP", envelope.Protocol);
        Assert.Equal("envelope-42", envelope.EnvelopeId);
        Assert.Equal(DsnReturn.Headers, envelope.Return);
        EnvelopeRecipient recipient = Assert.Single(envelope.Recipients);
        Assert.Equal(DsnNotify.Success | DsnNotify.Failure, recipient.Notify);
        Assert.Equal("jörg@example.org", recipient.OriginalAddress);
    }

    private static MimeMessage Message(string from, params string[] to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (string address in to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }

        message.Subject = "hello";
        message.Body = new TextPart("plain") { Text = "Hello from MailKit.\r\n.leading dot\r\n" };
        return message;
    }

    private sealed class DsnClient : SmtpClient
    {
        protected override string GetEnvelopeId(MimeMessage message) => "envelope-42";

        protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) =>
            DeliveryStatusNotification.Success | DeliveryStatusNotification.Failure;
    }
}
