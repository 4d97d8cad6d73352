using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Mailroom.Interop.Tests.Support;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// A full disk is a temporary condition: SMTP answers <c>452 4.3.1 Insufficient system storage</c>, IMAP APPEND
/// <c>NO</c>, nothing acknowledged is lost or damaged, and service resumes when space returns. The data directory
/// lives on a small tmpfs mounted for the test (root only; skipped with the reason otherwise).
/// </summary>
public sealed class DiskFullTests
{
    private const string Recipient = "samt@example.org";

    [Fact]
    public async Task AFullDiskIsATemporaryErrorAndServiceResumesWhenSpaceReturns()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TmpfsMount disk = await TmpfsMount.CreateAsync("4m");
        string data = Path.Combine(disk.Path, "data");
        System.IO.Directory.CreateDirectory(data);
        await using MailroomServer server = await MailroomServer.StartOnAsync(
            data,
            ["Queue:MinFreeSpace=0", "Queue:MinimalBackoff=00:00:01", "Queue:MaximalBackoff=00:00:02"],
            async s =>
            {
                await s.AddDomainAsync("example.org");
                await s.AddUserAsync(Recipient);
            });

        string before = SharedServer.NewTag("before-full");
        await SmtpDelivery.SendAsync(server, Recipient, Recipient, before, "Acknowledged before the disk filled up.", ct);
        await Maildir.WaitForMessageAsync(data, Recipient, before);

        // Logged in before the disk fills: the first login makes the user's folders, which needs space of its own.
        using ImapClient imap = await ConnectImapAsync(server, ct);
        string filler = disk.Fill();

        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.org", ct);
            Assert.StartsWith("250", (await smtp.CommandAsync($"MAIL FROM:<{Recipient}>", ct))[^1], StringComparison.Ordinal);
            Assert.StartsWith("250", (await smtp.CommandAsync($"RCPT TO:<{Recipient}>", ct))[^1], StringComparison.Ordinal);
            IReadOnlyList<string> data354 = await smtp.CommandAsync("DATA", ct);
            IReadOnlyList<string> reply = data354[^1].StartsWith("354", StringComparison.Ordinal)
                ? await smtp.CommandAsync($"Subject: refused\r\n\r\n{new string('x', 64 * 1024)}\r\n.", ct)
                : data354;
            Assert.Equal("452 4.3.1 Insufficient system storage", reply[^1]);

            // The session goes on: the client may try again later, on this connection or another.
            Assert.StartsWith("250", (await smtp.CommandAsync("NOOP", ct))[^1], StringComparison.Ordinal);
        }

        var message = new MimeMessage(new[] { MailboxAddress.Parse(Recipient) }, new[] { MailboxAddress.Parse(Recipient) }, "appended", new TextPart("plain") { Text = new string('y', 64 * 1024) });
        ImapCommandException refused = await Assert.ThrowsAsync<ImapCommandException>(() => imap.Inbox.AppendAsync(message, cancellationToken: ct));
        Assert.Equal(ImapCommandResponse.No, refused.Response);
        Assert.Contains("Not enough disk space", refused.ResponseText, StringComparison.Ordinal);

        File.Delete(filler);
        string after = SharedServer.NewTag("after-full");
        await SmtpDelivery.SendAsync(server, Recipient, Recipient, after, "Accepted once space returned.", ct);
        byte[] delivered = await Maildir.WaitForMessageAsync(data, Recipient, after);
        Assert.Contains("Accepted once space returned.", System.Text.Encoding.ASCII.GetString(delivered), StringComparison.Ordinal);
        byte[] kept = await Maildir.WaitForMessageAsync(data, Recipient, before);
        Assert.Contains("Acknowledged before the disk filled up.", System.Text.Encoding.ASCII.GetString(kept), StringComparison.Ordinal);
        Assert.Empty(System.IO.Directory.EnumerateFileSystemEntries(Path.Combine(server.QueueDirectory, "corrupt")));

        // The same session, which the refusal did not end, appends once space has returned.
        await imap.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        UniqueId? appended = await imap.Inbox.AppendAsync(new MimeMessage(new[] { MailboxAddress.Parse(Recipient) }, new[] { MailboxAddress.Parse(Recipient) }, "appended after", new TextPart("plain") { Text = "fits now" }), cancellationToken: ct);
        Assert.NotNull(appended);
        await imap.Inbox.CheckAsync(ct);
        Assert.Equal(3, imap.Inbox.Count);
        await imap.DisconnectAsync(quit: true, ct);

        Assert.Equal(3, Maildir.Messages(data, Recipient).Count);
    }

    [Fact]
    public async Task MailIsRefusedWhenTakingItWouldLeaveLessThanTheFreeSpaceFloor()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TmpfsMount disk = await TmpfsMount.CreateAsync("8m");
        string data = Path.Combine(disk.Path, "data");
        System.IO.Directory.CreateDirectory(data);

        // 8 MiB less the server's own files (well under 0.5 MB) are free: between 7.8 and 8.4 MB; the floor is 6 MB.
        await using MailroomServer server = await MailroomServer.StartOnAsync(data, ["Queue:MinFreeSpace=6000000"]);
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.org", ct);
            Assert.Equal("250 2.1.0 Ok", (await smtp.CommandAsync($"MAIL FROM:<{Recipient}> SIZE=100000", ct))[^1]);
            await smtp.CommandAsync("RSET", ct);
            Assert.Equal("452 4.3.1 Insufficient system storage", (await smtp.CommandAsync($"MAIL FROM:<{Recipient}> SIZE=3000000", ct))[^1]);
            Assert.Equal("250 2.1.0 Ok", (await smtp.CommandAsync($"MAIL FROM:<{Recipient}>", ct))[^1]);
            await smtp.CommandAsync("RSET", ct);

            // Three megabytes written elsewhere on the disk take it below the floor: even an undeclared size is refused.
            await File.WriteAllBytesAsync(Path.Combine(disk.Path, "ballast"), new byte[3_000_000], ct);
            Assert.Equal("452 4.3.1 Insufficient system storage", (await smtp.CommandAsync($"MAIL FROM:<{Recipient}>", ct))[^1]);
            File.Delete(Path.Combine(disk.Path, "ballast"));
            Assert.Equal("250 2.1.0 Ok", (await smtp.CommandAsync($"MAIL FROM:<{Recipient}>", ct))[^1]);
        }

        await server.WaitForMaillogLineAsync(@"reject: MAIL from .*452 4\.3\.1 Insufficient system storage");
    }

    private static async Task<ImapClient> ConnectImapAsync(MailroomServer server, CancellationToken ct)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", server.Port("imap"), SecureSocketOptions.StartTls, ct);
        await client.AuthenticateAsync(Recipient, MailroomServer.Password, ct);
        return client;
    }
}
