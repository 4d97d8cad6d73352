using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Mailroom.Interop.Tests.Support;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// IMAP clients nobody here wrote, against the real program: Python's imaplib, mbsync (isync) and MailKit. Each test
/// has its own mailbox on one server, so they run side by side without seeing each other's mail.
/// </summary>
public sealed class ImapClientTests : IAsyncLifetime
{
    private const string Domain = "imap.example.org";
    private static readonly string[] Users = ["py", "sync", "idle", "watch"];
    private MailroomServer? _server;

    private MailroomServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await MailroomServer.StartAsync(provision: async server =>
        {
            await server.AddDomainAsync(Domain);
            foreach (string user in Users)
            {
                await server.AddUserAsync(Address(user));
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static string Address(string user) => $"{user}@{Domain}";

    // imaplib over STARTTLS and implicit TLS: search, fetch, flags, a new folder, append, copy, expunge.
    private const string ImaplibScript = """
        import imaplib, ssl, sys
        mode, port, user, password, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if mode == "starttls":
            m = imaplib.IMAP4("127.0.0.1", port, timeout=15)
            m.starttls(ssl_context=ctx)
        else:
            m = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=ctx, timeout=15)
        def ok(result):
            typ, data = result
            if typ != "OK":
                print("failed:", typ, data); sys.exit(1)
            return data
        ok(m.login(user, password))
        count = int(ok(m.select("INBOX"))[0])
        found = ok(m.search(None, "SUBJECT", tag))[0].split()
        if len(found) != 1: print("search found", found); sys.exit(1)
        num = found[0]
        data = ok(m.fetch(num, "(RFC822 FLAGS)"))
        if tag.encode() not in data[0][1]: print("body missing tag"); sys.exit(1)
        flags = ok(m.fetch(num, "(FLAGS)"))[0]
        if b"\\Seen" not in flags: print("RFC822 fetch did not set \\Seen:", flags); sys.exit(1)
        ok(m.store(num, "+FLAGS", "(\\Flagged)"))
        if b"\\Flagged" not in ok(m.fetch(num, "(FLAGS)"))[0]: print("store lost"); sys.exit(1)
        folder = "Projects/" + tag
        ok(m.create(folder))
        listed = ok(m.list('""', "Projects/*"))
        if not any(l and tag.encode() in l for l in listed): print("list missing", listed); sys.exit(1)
        ok(m.copy(num, folder))
        status = ok(m.status(folder, "(MESSAGES UIDNEXT)"))[0]
        if b"MESSAGES 1" not in status: print("status", status); sys.exit(1)
        ok(m.append(folder, "(\\Seen)", imaplib.Time2Internaldate(1700000000), b"Subject: appended " + tag.encode() + b"\r\n\r\nhello\r\n"))
        ok(m.select(folder))
        if len(ok(m.search(None, "ALL"))[0].split()) != 2: print("append missing"); sys.exit(1)
        ok(m.store("1", "+FLAGS", "(\\Deleted)"))
        ok(m.expunge())
        if len(ok(m.search(None, "ALL"))[0].split()) != 1: print("expunge failed"); sys.exit(1)
        ok(m.close())
        ok(m.delete(folder))
        if any(l and tag.encode() in l for l in ok(m.list('""', "Projects/*"))): print("delete failed"); sys.exit(1)
        m.logout()
        print("ok", count)
        """;

    [Theory]
    [InlineData("starttls", "imap")]
    [InlineData("ssl", "imaps")]
    public async Task PythonImaplibReadsFlagsCopiesAppendsAndExpunges(string mode, string listener)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string user = Address("py");
        string tag = SharedServer.NewTag("imaplib");
        await SmtpDelivery.SendAsync(Server, "samt@example.org", user, tag, "Hello from SMTP.", ct);
        await Maildir.WaitForMessageAsync(Server.DataDirectory, user, tag);

        string script = Path.Combine(Server.DataDirectory, $"{tag}.py");
        await File.WriteAllTextAsync(script, ImaplibScript, ct);
        ProcessResult result = await ExternalTool.RunAsync("python3",
            [script, mode, Server.Port(listener).ToString(CultureInfo.InvariantCulture), user, MailroomServer.Password, tag]);
        File.Delete(script);

        Assert.True(result.ExitCode == 0, $"imaplib ({mode}) failed: {result}");
        Assert.StartsWith("ok ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MbsyncSyncsBothWaysAndASecondSyncChangesNothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string user = Address("sync");
        string tag = SharedServer.NewTag("mbsync");
        await SmtpDelivery.SendAsync(Server, "samt@example.org", user, tag, "Synced down.", ct);
        await Maildir.WaitForMessageAsync(Server.DataDirectory, user, tag);

        string local = System.IO.Directory.CreateTempSubdirectory("mailroom-mbsync-").FullName;
        try
        {
            string config = Path.Combine(local, "mbsyncrc");
            string store = Path.Combine(local, "mail");
            System.IO.Directory.CreateDirectory(store);
            await File.WriteAllTextAsync(config, $"""
                IMAPAccount mailroom
                Host 127.0.0.1
                Port {Server.Port("imap").ToString(CultureInfo.InvariantCulture)}
                User {user}
                Pass "{MailroomServer.Password}"
                SSLType None
                AuthMechs LOGIN PLAIN

                IMAPStore remote
                Account mailroom

                MaildirStore local
                Path {store}/
                Inbox {store}/INBOX
                SubFolders Verbatim

                Channel all
                Far :remote:
                Near :local:
                Patterns *
                Create Both
                Expunge Both
                SyncState *

                """, ct);

            ProcessResult first = await ExternalTool.RunAsync("mbsync", ["-c", config, "-a"], timeout: TimeSpan.FromSeconds(60));
            Assert.True(first.ExitCode == 0, $"mbsync failed: {first}");
            string[] downloaded = LocalMessages(Path.Combine(store, "INBOX"));
            Assert.Contains(downloaded, path => File.ReadAllText(path).Contains(tag, StringComparison.Ordinal));
            Assert.True(System.IO.Directory.Exists(Path.Combine(store, "Sent")), "the special-use folders are synced down");

            // A message written locally goes up with the next sync.
            string upTag = SharedServer.NewTag("mbsync-up");
            string localFile = Path.Combine(store, "INBOX", "cur", $"1700000000.{upTag}.client:2,S");
            await File.WriteAllTextAsync(localFile, $"From: <{user}>\r\nSubject: {upTag}\r\n\r\nSynced up.\r\n", ct);
            ProcessResult second = await ExternalTool.RunAsync("mbsync", ["-c", config, "-a"], timeout: TimeSpan.FromSeconds(60));
            Assert.True(second.ExitCode == 0, $"mbsync failed: {second}");
            using (ImapClient client = await ConnectAsync(user, ct))
            {
                await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
                IList<UniqueId> up = await client.Inbox.SearchAsync(SearchQuery.SubjectContains(upTag), ct);
                Assert.Single(up);
                IMessageSummary uploaded = (await client.Inbox.FetchAsync(up, MessageSummaryItems.Flags, ct))[0];
                Assert.True(uploaded.Flags!.Value.HasFlag(MessageFlags.Seen), "the local \\Seen flag went up with the message");
                await client.DisconnectAsync(quit: true, ct);
            }

            // Nothing changed on either side: the third sync transfers nothing.
            string[] before = Snapshot(store);
            int serverCount = Maildir.Messages(Server.DataDirectory, user).Count;
            ProcessResult third = await ExternalTool.RunAsync("mbsync", ["-c", config, "-a"], timeout: TimeSpan.FromSeconds(60));
            Assert.True(third.ExitCode == 0, $"mbsync failed: {third}");
            Assert.Equal(before, Snapshot(store));
            Assert.Equal(serverCount, Maildir.Messages(Server.DataDirectory, user).Count);
        }
        finally
        {
            System.IO.Directory.Delete(local, recursive: true);
        }
    }

    [Fact]
    public async Task AnIdlingMailKitClientHearsOfADeliveryAndOfAnotherSessionsChanges()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string user = Address("idle");
        await SmtpDelivery.SendAsync(Server, "samt@example.org", user, "first", "first", ct);
        await Eventually.WaitUntilAsync(() => Maildir.Messages(Server.DataDirectory, user).Count == 1, Maildir.DeliveryTimeout, "first delivery");

        using ImapClient idler = await ConnectAsync(user, ct, SecureSocketOptions.SslOnConnect, "imaps");
        await idler.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        Assert.Equal(1, idler.Inbox.Count);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        idler.Inbox.CountChanged += (_, _) =>
        {
            if (idler.Inbox.Count == 2)
            {
                arrived.TrySetResult();
            }
        };

        using var done = new CancellationTokenSource();
        Task idle = idler.IdleAsync(done.Token, ct);
        await SmtpDelivery.SendAsync(Server, "samt@example.org", user, "second", "second", ct);
        // Bounded, not a timing assertion: the update normally arrives well within a second.
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);
        await done.CancelAsync();
        await idle;

        // Another session flags and expunges; the first sees both at its next NOOP.
        using (ImapClient other = await ConnectAsync(user, ct))
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
            await other.Inbox.AddFlagsAsync(0, MessageFlags.Flagged, silent: true, ct);
            await other.Inbox.AddFlagsAsync(1, MessageFlags.Deleted, silent: true, ct);
            await other.Inbox.ExpungeAsync(ct);
            await other.DisconnectAsync(quit: true, ct);
        }

        var flagged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        idler.Inbox.MessageFlagsChanged += (_, e) =>
        {
            if (e.Flags.HasFlag(MessageFlags.Flagged))
            {
                flagged.TrySetResult();
            }
        };
        await idler.NoOpAsync(ct);
        Assert.Equal(1, idler.Inbox.Count);
        await flagged.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);
        await idler.DisconnectAsync(quit: true, ct);
    }

    [Fact]
    public async Task MailKitSeesSpecialUseFoldersAndFetchesStructures()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string user = Address("watch");
        await SmtpDelivery.SendAsync(Server, "samt@example.org", user, "structured", "plain body", ct);
        await Eventually.WaitUntilAsync(() => Maildir.Messages(Server.DataDirectory, user).Count == 1, Maildir.DeliveryTimeout, "delivery");

        using ImapClient client = await ConnectAsync(user, ct);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.SpecialUse));
        Assert.Equal("Sent", client.GetFolder(SpecialFolder.Sent)?.Name);
        Assert.Equal("Trash", client.GetFolder(SpecialFolder.Trash)?.Name);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
        IList<IMessageSummary> summaries = await client.Inbox.FetchAsync(0, -1,
            MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure | MessageSummaryItems.Size | MessageSummaryItems.UniqueId, ct);
        IMessageSummary summary = Assert.Single(summaries);
        Assert.Equal("structured", summary.Envelope?.Subject);
        Assert.Equal("samt@example.org", Assert.IsType<MailboxAddress>(summary.Envelope?.From[0]).Address);
        Assert.Equal("text/plain", summary.Body?.ContentType.MimeType);
        MimeMessage message = await client.Inbox.GetMessageAsync(summary.UniqueId, ct);
        Assert.Equal((long)summary.Size!, Maildir.Messages(Server.DataDirectory, user).Select(p => new FileInfo(p).Length).Single());
        Assert.Equal("plain body", message.TextBody?.TrimEnd());
        await client.DisconnectAsync(quit: true, ct);
    }

    private static string[] LocalMessages(string maildir) =>
        [.. new[] { "cur", "new" }.SelectMany(sub => System.IO.Directory.Exists(Path.Combine(maildir, sub)) ? System.IO.Directory.GetFiles(Path.Combine(maildir, sub)) : [])];

    private static string[] Snapshot(string store) =>
        [.. System.IO.Directory.GetFiles(store, "*", SearchOption.AllDirectories)
            .Where(path => path.Contains("/cur/", StringComparison.Ordinal) || path.Contains("/new/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private async Task<ImapClient> ConnectAsync(string user, CancellationToken ct, SecureSocketOptions security = SecureSocketOptions.StartTls, string listener = "imap")
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Server.Port(listener), security, ct);
        await client.AuthenticateAsync(user, MailroomServer.Password, ct);
        return client;
    }
}
