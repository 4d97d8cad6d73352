using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Mailroom.Imap.Tests.Server.Support;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// OBJECTID (RFC 8474), SAVEDATE (RFC 8514) and PREVIEW (RFC 8970) as MailKit sees them, and on the wire where MailKit
/// has no word for it (SEARCH EMAILID, PREVIEW (LAZY), the MAILBOXID response codes).
/// </summary>
public sealed class MessageMetadataTests
{
    private const string HtmlMessage = """
        From: Sender <sender@example.net>
        Subject: html
        Content-Type: text/html; charset=utf-8

        <html><head><style>p {}</style></head><body><p>Dinner&nbsp;at   <b>eight</b></p></body></html>
        """;

    [Fact]
    public async Task TheCapabilitiesNameObjectIdSaveDateAndPreview()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        using ImapClient client = await server.ConnectMailKitAsync();

        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.ObjectID));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.SaveDate));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Preview));
    }

    [Fact]
    public async Task PreviewTextIsFetchedForPlainAndHtmlMessages()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1, "First   line.\n\nSecond line."));
        await server.DeliverAsync(HtmlMessage);
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);

        IList<IMessageSummary> summaries = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.PreviewText, ct);

        Assert.Equal(["First line. Second line.", "Dinner at eight"], summaries.Select(s => s.PreviewText));
    }

    [Fact]
    public async Task LazyPreviewIsNilUntilComputedAndTheComputedPreviewIsKept()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1, "Kept preview."));
        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        await raw.CommandAsync("S", "SELECT INBOX");

        Assert.Equal("* 1 FETCH (PREVIEW NIL)", (await raw.CommandAsync("A", "FETCH 1 (PREVIEW (LAZY))"))[0]);
        Assert.Equal("* 1 FETCH (PREVIEW \"Kept preview.\")", (await raw.CommandAsync("B", "FETCH 1 PREVIEW"))[0]);
        Assert.Equal("* 1 FETCH (PREVIEW \"Kept preview.\")", (await raw.CommandAsync("C", "FETCH 1 (PREVIEW (LAZY))"))[0]);
        using (FolderLease inbox = server.Mailboxes.OpenFolder(ImapTestServer.Charlie, "INBOX")!)
        {
            Assert.Equal(Encoding.UTF8.GetBytes("Kept preview."), inbox.Folder.GetCached(1, CachedField.Preview));
        }

        Assert.StartsWith("D BAD", (await raw.CommandAsync("D", "FETCH 1 (PREVIEW (FUZZY))"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FolderIdsAreReportedBySelectStatusAndCreateAndKeptByRename()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        IMailFolder created = (await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Projects", isMessageFolder: true, ct))!;
        await created.OpenAsync(FolderAccess.ReadOnly, ct);
        string id = created.Id!;
        await client.Inbox.StatusAsync(StatusItems.MailboxId, ct);

        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(server.Mailboxes.GetMailboxId(ImapTestServer.Charlie, "Projects"), id);
        Assert.Equal(server.Mailboxes.GetMailboxId(ImapTestServer.Charlie, "INBOX"), client.Inbox.Id!);
        await created.CloseAsync(false, ct);

        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        string createdReply = (await raw.CommandAsync("A", "CREATE Other"))[^1];
        Assert.Equal("A OK [MAILBOXID (" + server.Mailboxes.GetMailboxId(ImapTestServer.Charlie, "Other") + ")] Create completed.", createdReply);
        Assert.StartsWith("E NO [ALREADYEXISTS]", (await raw.CommandAsync("E", "CREATE Other"))[^1], StringComparison.Ordinal);
        Assert.StartsWith("B OK", (await raw.CommandAsync("B", "RENAME Projects Renamed"))[^1], StringComparison.Ordinal);
        Assert.Contains("* OK [MAILBOXID (" + id + ")] Ok", await raw.CommandAsync("C", "EXAMINE Renamed"));
        Assert.Equal("* STATUS Renamed (MESSAGES 0 MAILBOXID (" + id + "))", (await raw.CommandAsync("D", "STATUS Renamed (MESSAGES MAILBOXID)"))[0]);
    }

    [Fact]
    public async Task EmailIdIsKeptByMoveAndFoundBySearchWhileThreadIdIsNil()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await server.DeliverAsync(ImapTestServer.Message(2));
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        IList<IMessageSummary> before = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.EmailId | MessageSummaryItems.ThreadId, ct);
        IMailFolder archive = await client.GetFolderAsync("Archive", ct);

        UniqueId? moved = await client.Inbox.MoveToAsync(before[0].UniqueId, archive, ct);

        Assert.NotEqual(before[0].EmailId, before[1].EmailId);
        Assert.All(before, s => Assert.Null(s.ThreadId));
        await archive.OpenAsync(FolderAccess.ReadOnly, ct);
        IMessageSummary after = Assert.Single(await archive.FetchAsync([moved!.Value], MessageSummaryItems.EmailId, ct));
        Assert.Equal(before[0].EmailId, after.EmailId);

        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        await raw.CommandAsync("S", "SELECT Archive");
        Assert.Equal("* SEARCH 1", (await raw.CommandAsync("A", "SEARCH EMAILID " + before[0].EmailId))[0]);
        Assert.Equal("* SEARCH", (await raw.CommandAsync("B", "SEARCH EMAILID " + before[1].EmailId))[0]);
        Assert.Equal("* SEARCH", (await raw.CommandAsync("C", "SEARCH THREADID T1"))[0]);
        Assert.StartsWith("D BAD", (await raw.CommandAsync("D", "SEARCH EMAILID \"no spaces allowed\""))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveDateIsWhenTheMessageWasCopiedWhileTheInternalDateStays()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        var internalDate = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
        await client.Inbox.AppendAsync(new AppendRequest(MimeKit.MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(ImapTestServer.Message(1).ReplaceLineEndings("\r\n"))), ct)) { InternalDate = internalDate }, ct);
        IMailFolder archive = await client.GetFolderAsync("Archive", ct);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        DateTimeOffset start = DateTimeOffset.UtcNow.AddMinutes(-1);
        UniqueId? copy = await client.Inbox.CopyToAsync(new UniqueId(1), archive, ct);

        await archive.OpenAsync(FolderAccess.ReadOnly, ct);
        IMessageSummary summary = Assert.Single(await archive.FetchAsync([copy!.Value], MessageSummaryItems.SaveDate | MessageSummaryItems.InternalDate, ct));

        Assert.Equal(internalDate, summary.InternalDate);
        Assert.InRange(summary.SaveDate!.Value, start, DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal([copy.Value], await archive.SearchAsync(SearchQuery.SaveDateSupported, ct));
        Assert.Equal([copy.Value], await archive.SearchAsync(SearchQuery.SavedSince(start.UtcDateTime.Date), ct));
        Assert.Empty(await archive.SearchAsync(SearchQuery.SavedBefore(start.UtcDateTime.Date), ct));
        Assert.Empty(await archive.SearchAsync(SearchQuery.SavedOn(internalDate.UtcDateTime.Date), ct));
    }

    [Fact]
    public async Task OnMaildirTheIdsAndTheSaveDateSurviveAServerRestart()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        DirectoryInfo mail = System.IO.Directory.CreateTempSubdirectory("mailroom-objectid-");
        try
        {
            string? emailId;
            string? mailboxId;
            DateTimeOffset? saveDate;
            await using (ImapTestServer server = await ImapTestServer.StartAsync(maildir: true, configureStore: o => o.MailRoot = mail.FullName))
            {
                await server.DeliverAsync(ImapTestServer.Message(1, "Survives a restart."));
                using ImapClient client = await server.ConnectMailKitAsync();
                await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
                IMailFolder archive = await client.GetFolderAsync("Archive", ct);
                UniqueId? moved = await client.Inbox.MoveToAsync(new UniqueId(1), archive, ct);
                await archive.OpenAsync(FolderAccess.ReadOnly, ct);
                IMessageSummary summary = Assert.Single(await archive.FetchAsync([moved!.Value],
                    MessageSummaryItems.EmailId | MessageSummaryItems.SaveDate | MessageSummaryItems.PreviewText, ct));
                Assert.Equal("Survives a restart.", summary.PreviewText);
                (emailId, mailboxId, saveDate) = (summary.EmailId, archive.Id, summary.SaveDate);
            }

            await using (ImapTestServer server = await ImapTestServer.StartAsync(maildir: true, configureStore: o => o.MailRoot = mail.FullName))
            {
                using ImapClient client = await server.ConnectMailKitAsync();
                IMailFolder archive = await client.GetFolderAsync("Archive", ct);
                await archive.OpenAsync(FolderAccess.ReadOnly, ct);
                IMessageSummary summary = Assert.Single(await archive.FetchAsync(0, -1, MessageSummaryItems.EmailId | MessageSummaryItems.SaveDate, ct));

                Assert.True(File.Exists(Path.Combine(server.Maildirs.GetMaildirPath(ImapTestServer.Charlie), ".Archive", "mailroom-mailboxid")));
                Assert.Equal(mailboxId, archive.Id);
                Assert.Equal(emailId, summary.EmailId);
                Assert.Equal(saveDate, summary.SaveDate);
            }
        }
        finally
        {
            mail.Delete(recursive: true);
        }
    }
}
