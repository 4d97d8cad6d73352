using Mailroom.Store.Mailboxes;
using MailKit.Net.Pop3;
using MailKit.Security;
using Mailroom.Pop3.Tests.Support;
using MimeKit;

namespace Mailroom.Pop3.Tests.Integration;

public sealed class MailKitTests
{
    [Theory]
    [InlineData(SecureSocketOptions.None, false)]
    [InlineData(SecureSocketOptions.StartTls, false)]
    [InlineData(SecureSocketOptions.SslOnConnect, true)]
    public async Task MailKitRetrievesAndDeletesMessages(SecureSocketOptions security, bool implicitTls)
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        await server.DeliverAsync(Pop3TestServer.Message(1, "First body."));
        await server.DeliverAsync(Pop3TestServer.Message(2, ".starts with a dot\nSecond body."));
        CancellationToken ct = TestContext.Current.CancellationToken;
        using (var client = new Pop3Client())
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            var endPoint = implicitTls ? server.TlsEndPoint : server.EndPoint;
            await client.ConnectAsync("127.0.0.1", endPoint.Port, security, ct);
            Assert.Contains("PLAIN", client.AuthenticationMechanisms);
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.UIDL));
            await client.AuthenticateAsync(Pop3TestServer.Charlie, "charlie", ct);
            Assert.Equal(2, await client.GetMessageCountAsync(ct));
            IList<string> uids = await client.GetMessageUidsAsync(ct);
            Assert.Equal(2, uids.Distinct().Count());
            MimeMessage second = await client.GetMessageAsync(1, ct);
            Assert.Equal("Test 2", second.Subject);
            Assert.Equal(".starts with a dot\nSecond body.\n", second.TextBody?.ReplaceLineEndings("\n"));
            IList<int> sizes = await client.GetMessageSizesAsync(ct);
            Assert.Equal(2, sizes.Count);
            await client.DeleteMessageAsync(0, ct);
            await client.DisconnectAsync(quit: true, ct);
        }

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.EndsWith(implicitTls || security == SecureSocketOptions.StartTls ? ", TLS" : ", secured", log[0], StringComparison.Ordinal);
        Assert.Contains("del=1/2", log[^1], StringComparison.Ordinal);
        using FolderLease inbox = server.Store.OpenFolder(Pop3TestServer.Charlie, "INBOX")!;
        Assert.Equal(["Test 2"], inbox.Folder.Current.Messages.Select(m => MimeMessage.Load(inbox.Folder.OpenContent(m.Uid)).Subject));
    }

    [Fact]
    public async Task MailKitWithWrongPasswordGetsAnAuthenticationError()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        using var client = new Pop3Client();
        CancellationToken ct = TestContext.Current.CancellationToken;
        await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.None, ct);
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(Pop3TestServer.Charlie, "wrong", ct));
    }
}
