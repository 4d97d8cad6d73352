using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Interop.Tests.Support;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// The one quota end to end in the real program: the limit set with <c>mailroom user quota</c> in the directory, the
/// usage measured by the store, read by MailKit over IMAP (RFC 9208 GETQUOTAROOT) and enforced on IMAP APPEND and on
/// SMTP DATA alike.
/// </summary>
public sealed class ImapQuotaTests : IAsyncLifetime
{
    private const string User = "ann@quota.example.org";
    private MailroomServer? _server;

    private MailroomServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await MailroomServer.StartAsync(provision: async server =>
        {
            await server.AddDomainAsync("quota.example.org");
            await server.AddUserAsync(User);
            await server.AdminAsync("user", "quota", User, "8K");
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task MailKitReadsTheDirectorysQuotaAndAnAppendOrAMessagePastItIsRefused()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Server.Port("imap"), SecureSocketOptions.StartTls, ct);
        await client.AuthenticateAsync(User, MailroomServer.Password, ct);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Quota));

        FolderQuota before = await client.Inbox.GetQuotaAsync(ct);
        Assert.Equal(8u, before.StorageLimit);
        Assert.Equal(0u, before.CurrentStorageSize);

        await client.Inbox.AppendAsync(Message(3000), cancellationToken: ct);
        FolderQuota after = await client.Inbox.GetQuotaAsync(ct);
        // About 3 KB of body plus MIME headers, counted in whole KiB.
        Assert.InRange(after.CurrentStorageSize ?? 0, 3u, 4u);

        ImapCommandException refused = await Assert.ThrowsAsync<ImapCommandException>(() => client.Inbox.AppendAsync(Message(6000), cancellationToken: ct));
        Assert.Equal(ImapCommandResponse.No, refused.Response);
        Assert.Contains("Quota exceeded", refused.ResponseText, StringComparison.Ordinal);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        Assert.Equal(1, client.Inbox.Count);

        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await smtp.ConnectAsync("127.0.0.1", Server.SmtpPort, SecureSocketOptions.None, ct);
        SmtpCommandException full = await Assert.ThrowsAsync<SmtpCommandException>(() => smtp.SendAsync(Message(6000), ct));
        Assert.Equal(SmtpStatusCode.ExceededStorageAllocation, full.StatusCode);
    }

    private static MimeMessage Message(int bodyBytes)
    {
        var message = new MimeMessage { Subject = "quota" };
        message.From.Add(MailboxAddress.Parse("sender@remote.example"));
        message.To.Add(MailboxAddress.Parse(User));
        message.Body = new TextPart("plain") { Text = string.Join("\r\n", Enumerable.Repeat(new string('q', 70), bodyBytes / 72)) + "\r\n" };
        return message;
    }
}
