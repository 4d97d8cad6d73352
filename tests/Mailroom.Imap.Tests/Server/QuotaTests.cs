using System.Text;
using MailKit;
using MailKit.Net.Imap;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// RFC 9208 QUOTA: one quota root per user (<c>""</c>) with the STORAGE resource in 1024-octet units, GETQUOTA and
/// GETQUOTAROOT, SETQUOTA refused (limits are the administrator's), STATUS DELETED-STORAGE, and OVERQUOTA on APPEND
/// and COPY; MOVE stays within the root and is never refused for quota.
/// </summary>
public sealed class QuotaTests
{
    private static readonly byte[] Small = Encoding.ASCII.GetBytes("Subject: small\r\n\r\n" + new string('x', 300) + "\r\n");

    [Fact]
    public async Task CapabilitiesNameQuotaAndTheStorageResourceOnly()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();

        string capabilities = (await client.CommandAsync("a", "CAPABILITY"))[0];

        Assert.Contains(" QUOTA QUOTA=RES-STORAGE", capabilities, StringComparison.Ordinal);
        Assert.DoesNotContain("QUOTASET", capabilities, StringComparison.Ordinal);
        Assert.DoesNotContain("RES-MESSAGE", capabilities, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetQuotaRootNamesTheUsersRootWithUsageAndLimitInKibibytes()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        server.Quotas.Set(ImapTestServer.Charlie, 10 * 1024);
        await server.DeliverAsync(ImapTestServer.Message(1, new string('y', 2000)));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();

        Assert.Equal(
            ["* QUOTAROOT INBOX \"\"", "* QUOTA \"\" (STORAGE 3 10)", "a OK Getquotaroot completed."],
            await client.CommandAsync("a", "GETQUOTAROOT inbox"));
        Assert.Equal(["* QUOTAROOT Sent \"\"", "* QUOTA \"\" (STORAGE 3 10)", "b OK Getquotaroot completed."], await client.CommandAsync("b", "GETQUOTAROOT Sent"));
        Assert.Equal(["* QUOTA \"\" (STORAGE 3 10)", "c OK Getquota completed."], await client.CommandAsync("c", "GETQUOTA \"\""));
    }

    [Fact]
    public async Task AUserWithoutALimitHasARootButNoQuotaResponse()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();

        Assert.Equal(["* QUOTAROOT INBOX \"\"", "a OK Getquotaroot completed."], await client.CommandAsync("a", "GETQUOTAROOT INBOX"));
        Assert.Equal(["b OK Getquota completed."], await client.CommandAsync("b", "GETQUOTA \"\""));
    }

    [Fact]
    public async Task UnknownRootsAndMailboxesAndMalformedRequestsAreRefused()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using (RawImapClient anonymous = await server.ConnectAsync())
        {
            await anonymous.ReadLineAsync();
            Assert.StartsWith("a BAD ", (await anonymous.CommandAsync("a", "GETQUOTA \"\""))[^1], StringComparison.Ordinal);
        }

        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();

        Assert.Equal(["b NO [NONEXISTENT] Quota root doesn't exist."], await client.CommandAsync("b", "GETQUOTA \"User quota\""));
        Assert.Equal(["c NO [NONEXISTENT] Mailbox doesn't exist: Nothing"], await client.CommandAsync("c", "GETQUOTAROOT Nothing"));
        Assert.StartsWith("d BAD ", (await client.CommandAsync("d", "GETQUOTA"))[^1], StringComparison.Ordinal);
        Assert.StartsWith("e BAD ", (await client.CommandAsync("e", "GETQUOTAROOT INBOX extra"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetQuotaIsRefusedBecauseLimitsAreTheAdministrators()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();

        Assert.Equal(["a NO [NOPERM] Quota limits are set by the administrator."], await client.CommandAsync("a", "SETQUOTA \"\" (STORAGE 512)"));
        Assert.Equal(["b NO [NOPERM] Quota limits are set by the administrator."], await client.CommandAsync("b", "SETQUOTA \"\" ()"));
        Assert.StartsWith("c BAD ", (await client.CommandAsync("c", "SETQUOTA \"\" (STORAGE)"))[^1], StringComparison.Ordinal);
        Assert.StartsWith("d BAD ", (await client.CommandAsync("d", "SETQUOTA \"\" (STORAGE x)"))[^1], StringComparison.Ordinal);
        Assert.StartsWith("e BAD ", (await client.CommandAsync("e", "SETQUOTA \"\" (\\STORAGE 1)"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendThatFitsExactlyIsSavedAndOneMoreByteIsRefusedWithOverquota()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        server.Quotas.Set(ImapTestServer.Charlie, 2 * Small.Length);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();

        Assert.Matches(@"^a OK \[APPENDUID \d+ 1\] Append completed\.$", (await AppendAsync(client, "a", Small))[^1]);
        Assert.Matches(@"^b OK \[APPENDUID \d+ 2\] Append completed\.$", (await AppendAsync(client, "b", Small))[^1]);
        Assert.Equal(["c NO [OVERQUOTA] Quota exceeded (mailbox for user is full)"], await AppendAsync(client, "c", "x\r\n"u8.ToArray()));
        Assert.Equal(["* STATUS INBOX (MESSAGES 2)", "d OK Status completed."], await client.CommandAsync("d", "STATUS INBOX (MESSAGES)"));
    }

    [Fact]
    public async Task CopyPastTheQuotaIsRefusedAndMoveIsNot()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        server.Quotas.Set(ImapTestServer.Charlie, (2 * Small.Length) + 10);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await AppendAsync(client, "a", Small);
        await AppendAsync(client, "b", Small);
        await client.CommandAsync("c", "SELECT INBOX");

        Assert.Equal(["d NO [OVERQUOTA] Quota exceeded (mailbox for user is full)"], await client.CommandAsync("d", "COPY 1 Archive"));
        Assert.Equal(["e OK No messages found."], await client.CommandAsync("e", "UID COPY 99 Archive"));
        List<string> moved = await client.CommandAsync("f", "MOVE 1:2 Trash");
        Assert.Equal("f OK Move completed.", moved[^1]);
        Assert.Equal(["* STATUS Trash (MESSAGES 2)", "g OK Status completed."], await client.CommandAsync("g", "STATUS Trash (MESSAGES)"));
    }

    [Fact]
    public async Task AppendAndCopyWithinTheQuotaWork()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        server.Quotas.Set(ImapTestServer.Charlie, 3 * Small.Length);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await AppendAsync(client, "a", Small);
        await client.CommandAsync("b", "SELECT INBOX");

        Assert.Matches(@"^c OK \[COPYUID \d+ 1 1\] Copy completed\.$", (await client.CommandAsync("c", "COPY 1 Archive"))[^1]);
        Assert.Matches(@"^d OK \[COPYUID \d+ 1 2\] Copy completed\.$", (await client.CommandAsync("d", "COPY 1 Archive"))[^1]);
        Assert.Equal(["e NO [OVERQUOTA] Quota exceeded (mailbox for user is full)"], await client.CommandAsync("e", "COPY 1 Archive"));
    }

    [Fact]
    public async Task AQuotaThatCannotBeReadIsATemporaryFailure()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        server.Quotas.Unavailable = true;
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();

        Assert.Equal(["a NO [UNAVAILABLE] Temporary failure in reading the quota."], await AppendAsync(client, "a", Small));
        Assert.Equal(["b NO [UNAVAILABLE] Temporary failure in reading the quota."], await client.CommandAsync("b", "GETQUOTA \"\""));
    }

    [Fact]
    public async Task DeletedStorageIsWhatAnExpungeWouldFreeInKibibytes()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await AppendAsync(client, "a", Encoding.ASCII.GetBytes("Subject: big\r\n\r\n" + new string('z', 3000) + "\r\n"));
        await AppendAsync(client, "b", Small);

        Assert.Equal(["* STATUS INBOX (DELETED 0 DELETED-STORAGE 0)", "c OK Status completed."], await client.CommandAsync("c", "STATUS INBOX (DELETED DELETED-STORAGE)"));
        await client.CommandAsync("d", "SELECT INBOX");
        await client.CommandAsync("e", "STORE 1 +FLAGS.SILENT (\\Deleted)");
        Assert.Equal(["* STATUS INBOX (DELETED-STORAGE 3)", "f OK Status completed."], await client.CommandAsync("f", "STATUS INBOX (DELETED-STORAGE)"));
    }

    [Fact]
    public async Task MailKitReadsTheQuotaOfAFolder()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        server.Quotas.Set(ImapTestServer.Charlie, 100 * 1024);
        string message = ImapTestServer.Message(1, new string('q', 5000));
        await server.DeliverAsync(message);
        long used = Encoding.ASCII.GetByteCount(message.ReplaceLineEndings("\r\n"));
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();

        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Quota));
        FolderQuota quota = await client.Inbox.GetQuotaAsync(ct);

        Assert.Equal(100u, quota.StorageLimit);
        Assert.Equal((uint)((used + 1023) / 1024), quota.CurrentStorageSize);
        Assert.Null(quota.MessageLimit);
        Assert.Equal("", quota.QuotaRoot?.FullName);
        ImapCommandException refused = await Assert.ThrowsAsync<ImapCommandException>(() => client.Inbox.SetQuotaAsync(null, 10u, ct));
        Assert.Equal(ImapCommandResponse.No, refused.Response);
    }

    [Fact]
    public async Task MailKitSeesOverquotaOnAppend()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        server.Quotas.Set(ImapTestServer.Charlie, 100);
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();

        ImapCommandException refused = await Assert.ThrowsAsync<ImapCommandException>(
            () => client.Inbox.AppendAsync(new MimeKit.MimeMessage { Subject = "too big", Body = new MimeKit.TextPart { Text = new string('w', 500) } }, cancellationToken: ct));

        Assert.Equal(ImapCommandResponse.No, refused.Response);
        Assert.Contains("Quota exceeded", refused.ResponseText, StringComparison.Ordinal);
    }

    private static async Task<List<string>> AppendAsync(RawImapClient client, string tag, byte[] message)
    {
        await client.SendAsync([.. Encoding.ASCII.GetBytes($"{tag} APPEND INBOX {{{message.Length}+}}\r\n"), .. message, .. "\r\n"u8]);
        return await client.ReadUntilTaggedAsync(tag);
    }
}
