using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Mailroom.Imap.Tests.Server.Support;
using MimeKit;

namespace Mailroom.Imap.Tests.Server;

public sealed class MailKitMessageTests
{
    private static MimeMessage Multipart()
    {
        var builder = new BodyBuilder { TextBody = "Plain text body.\n" };
        builder.Attachments.Add("data.bin", [0, 1, 2, 3, 255]);
        var message = new MimeMessage { Subject = "With attachment", Date = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)) };
        message.From.Add(new MailboxAddress("Ann", "ann@example.net"));
        message.To.Add(new MailboxAddress("Charlie", ImapTestServer.Charlie));
        message.MessageId = "multi@example.net";
        message.Body = builder.ToMessageBody();
        return message;
    }

    [Fact]
    public async Task AppendedMessageIsFetchedWithEveryItem()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        var date = new DateTimeOffset(2023, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5));
        UniqueId? uid = await client.Inbox.AppendAsync(new AppendRequest(Multipart(), MessageFlags.Flagged) { InternalDate = date, Keywords = new HashSet<string> { "$Work" } }, ct);
        Assert.Equal(1u, uid?.Id);

        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        Assert.Equal(1, client.Inbox.Count);
        IList<IMessageSummary> summaries = await client.Inbox.FetchAsync(
            0, -1, MessageSummaryItems.All | MessageSummaryItems.BodyStructure | MessageSummaryItems.UniqueId | MessageSummaryItems.ModSeq, ct);
        IMessageSummary summary = Assert.Single(summaries);
        Assert.Equal("With attachment", summary.Envelope!.Subject);
        Assert.Equal("ann@example.net", summary.Envelope!.From.Mailboxes.Single().Address);
        Assert.Equal("<multi@example.net>", "<" + summary.Envelope!.MessageId + ">");
        Assert.Equal(date, summary.InternalDate);
        Assert.True(summary.Flags!.Value.HasFlag(MessageFlags.Flagged));
        Assert.Contains("$Work", summary.Keywords);
        Assert.True(summary.ModSeq > 0);
        BodyPartText text = Assert.Single(summary.TextBody is null ? [] : new[] { summary.TextBody });
        Assert.Equal("plain", text.ContentType.MediaSubtype);
        BodyPartBasic attachment = Assert.Single(summary.Attachments);
        Assert.Equal("data.bin", attachment.FileName);

        MimeMessage fetched = await client.Inbox.GetMessageAsync(summary.UniqueId, ct);
        Assert.Equal("Plain text body.\n", fetched.TextBody!.ReplaceLineEndings("\n"));
        var part = (MimePart)await client.Inbox.GetBodyPartAsync(summary.UniqueId, attachment, ct);
        using var decoded = new MemoryStream();
        await part.Content!.DecodeToAsync(decoded, ct);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 255 }, decoded.ToArray());

        using Stream partial = await client.Inbox.GetStreamAsync(summary.UniqueId, 0, 10, ct);
        Assert.Equal(10, partial.Length);
        using Stream header = await client.Inbox.GetStreamAsync(summary.UniqueId, "HEADER", ct);
        Assert.Contains("Subject: With attachment", new StreamReader(header).ReadToEnd(), StringComparison.Ordinal);

        // MailKit fetches with BODY.PEEK, which leaves \Seen alone.
        IMessageSummary after = Assert.Single(await client.Inbox.FetchAsync([summary.UniqueId], MessageSummaryItems.Flags, ct));
        Assert.False(after.Flags!.Value.HasFlag(MessageFlags.Seen));
    }

    [Fact]
    public async Task StoreChangesFlagsAndKeywordsWithUnchangedSince()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await server.DeliverAsync(ImapTestServer.Message(2));
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        IList<UniqueId> uids = await client.Inbox.SearchAsync(SearchQuery.All, ct);
        var answered = new StoreFlagsRequest(StoreAction.Add, MessageFlags.Answered);
        answered.Keywords.Add("Important");
        await client.Inbox.StoreAsync(uids, answered, ct);
        await client.Inbox.StoreAsync(uids[0], new StoreFlagsRequest(StoreAction.Remove, MessageFlags.Answered) { Silent = true }, ct);
        IList<IMessageSummary> flags = await client.Inbox.FetchAsync(uids, MessageSummaryItems.Flags | MessageSummaryItems.ModSeq, ct);
        Assert.False(flags[0].Flags!.Value.HasFlag(MessageFlags.Answered));
        Assert.True(flags[1].Flags!.Value.HasFlag(MessageFlags.Answered));
        Assert.All(flags, f => Assert.Contains("Important", f.Keywords));

        ulong stale = Math.Min(flags[0].ModSeq!.Value, flags[1].ModSeq!.Value) - 1;
        IList<UniqueId> modified = await client.Inbox.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { UnchangedSince = stale }, ct);
        Assert.Equal(uids, modified);
        ulong current = Math.Max(flags[0].ModSeq!.Value, flags[1].ModSeq!.Value);
        Assert.Empty(await client.Inbox.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { UnchangedSince = current }, ct));
        Assert.Equal(2, (await client.Inbox.SearchAsync(SearchQuery.Deleted, ct)).Count);
    }

    [Fact]
    public async Task SearchAndEsearchFindMessages()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        for (int i = 1; i <= 4; i++)
        {
            await server.DeliverAsync(ImapTestServer.Message(i, i % 2 == 0 ? "even body" : "odd body"));
        }

        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        IList<UniqueId> even = await client.Inbox.SearchAsync(SearchQuery.BodyContains("even"), ct);
        Assert.Equal([2u, 4u], even.Select(u => u.Id));
        SearchResults results = await client.Inbox.SearchAsync(SearchOptions.All | SearchOptions.Count | SearchOptions.Min | SearchOptions.Max, SearchQuery.SubjectContains("test"), ct);
        Assert.Equal(4, results.Count);
        Assert.Equal(1u, results.Min?.Id);
        Assert.Equal(4u, results.Max?.Id);
        Assert.Equal(4, results.UniqueIds.Count);
        Assert.Empty(await client.Inbox.SearchAsync(SearchQuery.Seen, ct));
        Assert.Equal(4, (await client.Inbox.SearchAsync(SearchQuery.Recent.And(SearchQuery.FromContains("sender")), ct)).Count);

        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        await raw.CommandAsync("s", "EXAMINE INBOX");
        Assert.Equal(["* SEARCH 2 4", "a OK Search completed."], await raw.CommandAsync("a", "SEARCH BODY even"));
        Assert.Equal(["* ESEARCH (TAG \"b\") UID COUNT 2 ALL 1,3", "b OK Search completed."], await raw.CommandAsync("b", "UID SEARCH RETURN (COUNT ALL) BODY odd"));
        Assert.Equal(["* ESEARCH (TAG \"c\") COUNT 0", "c OK Search completed."], await raw.CommandAsync("c", "SEARCH RETURN (MIN MAX COUNT) SUBJECT nothing"));
        List<string> modSeqSearch = await raw.CommandAsync("d", "SEARCH MODSEQ 1");
        Assert.StartsWith("* OK [HIGHESTMODSEQ ", modSeqSearch[0], StringComparison.Ordinal);
        Assert.StartsWith("* SEARCH 1 2 3 4 (MODSEQ ", modSeqSearch[1], StringComparison.Ordinal);
        Assert.Equal("e BAD [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset", (await raw.CommandAsync("e", "SEARCH CHARSET KOI8-R ALL"))[^1]);
    }

    [Fact]
    public async Task CopyAndMoveReturnUidplusData()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        for (int i = 1; i <= 3; i++)
        {
            await server.DeliverAsync(ImapTestServer.Message(i));
        }

        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        IMailFolder archive = client.GetFolder(SpecialFolder.Archive)!;
        IList<UniqueId> uids = await client.Inbox.SearchAsync(SearchQuery.All, ct);
        UniqueIdMap copied = await client.Inbox.CopyToAsync([uids[0], uids[1]], archive, ct);
        Assert.Equal([1u, 2u], copied.Destination.Select(u => u.Id));
        Assert.Equal(3, client.Inbox.Count);

        UniqueIdMap moved = await client.Inbox.MoveToAsync([uids[2]], archive, ct);
        Assert.Equal(3u, Assert.Single(moved.Destination).Id);
        Assert.Equal(2, client.Inbox.Count);
        await client.Inbox.CloseAsync(expunge: false, ct);
        await archive.OpenAsync(FolderAccess.ReadOnly, ct);
        Assert.Equal(3, archive.Count);
        Assert.Equal(["Test 1", "Test 2", "Test 3"], (await archive.FetchAsync(0, -1, MessageSummaryItems.Envelope, ct)).Select(s => s.Envelope!.Subject));

        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        await raw.CommandAsync("s", "SELECT INBOX");
        Assert.Equal(["c NO [TRYCREATE] Mailbox doesn't exist: Nowhere"], await raw.CommandAsync("c", "COPY 1 Nowhere"));
        Assert.Equal(["d BAD Invalid message sequence number."], await raw.CommandAsync("d", "COPY 9 Archive"));
        Assert.Equal(["e OK No messages found."], await raw.CommandAsync("e", "UID COPY 99 Archive"));
    }

    [Fact]
    public async Task ExpungeAndUidExpungeRemoveOnlyDeletedMessages()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        for (int i = 1; i <= 4; i++)
        {
            await server.DeliverAsync(ImapTestServer.Message(i));
        }

        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        var expunged = new List<int>();
        client.Inbox.MessageExpunged += (_, e) => expunged.Add(e.Index);
        IList<UniqueId> uids = await client.Inbox.SearchAsync(SearchQuery.All, ct);
        await client.Inbox.AddFlagsAsync(uids, MessageFlags.Deleted, silent: true, ct);
        await client.Inbox.ExpungeAsync([uids[1]], ct);
        Assert.Equal([1], expunged);
        Assert.Equal(3, client.Inbox.Count);
        await client.Inbox.RemoveFlagsAsync(uids[3], MessageFlags.Deleted, silent: true, ct);
        await client.Inbox.ExpungeAsync(ct);
        Assert.Equal([1, 0, 0], expunged);
        Assert.Equal("Test 4", Assert.Single(await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope, ct)).Envelope!.Subject);
    }
}
