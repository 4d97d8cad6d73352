using MailKit;
using MailKit.Net.Imap;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

public sealed class MailKitFolderTests
{
    [Fact]
    public async Task SpecialUseFoldersAreListedForANewUser()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        IMailFolder root = client.GetFolder(client.PersonalNamespaces[0]);
        IList<IMailFolder> folders = await root.GetSubfoldersAsync(StatusItems.Count | StatusItems.Unread, subscribedOnly: false, ct);
        Assert.Equal(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"], folders.Select(f => f.FullName).Order(StringComparer.Ordinal));
        Assert.Equal("Drafts", client.GetFolder(SpecialFolder.Drafts)!.FullName);
        Assert.Equal("Sent", client.GetFolder(SpecialFolder.Sent)!.FullName);
        Assert.Equal("Trash", client.GetFolder(SpecialFolder.Trash)!.FullName);
        Assert.Equal("Junk", client.GetFolder(SpecialFolder.Junk)!.FullName);
        Assert.Equal("Archive", client.GetFolder(SpecialFolder.Archive)!.FullName);
        Assert.All(folders, f => Assert.True(f.Attributes.HasFlag(FolderAttributes.HasNoChildren)));
        Assert.All(folders, f => Assert.Equal(0, f.Count));
        IList<IMailFolder> subscribed = await root.GetSubfoldersAsync(subscribedOnly: true, ct);
        Assert.Equal(6, subscribed.Count);
    }

    [Fact]
    public async Task FoldersAreCreatedRenamedSubscribedAndDeleted()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using ImapClient client = await server.ConnectMailKitAsync();
        IMailFolder root = client.GetFolder(client.PersonalNamespaces[0]);
        IMailFolder projects = (await root.CreateAsync("Projects", isMessageFolder: true, ct))!;
        IMailFolder alpha = (await projects.CreateAsync("Älpha", isMessageFolder: true, ct))!;
        Assert.Equal("Projects/Älpha", alpha.FullName);
        await alpha.SubscribeAsync(ct);

        IList<IMailFolder> children = await projects.GetSubfoldersAsync(subscribedOnly: false, ct);
        Assert.Equal("Älpha", Assert.Single(children).Name);

        await alpha.RenameAsync(root, "Beta", ct);
        Assert.Equal("Beta", alpha.FullName);
        IMailFolder beta = await client.GetFolderAsync("Beta", ct);
        await beta.OpenAsync(FolderAccess.ReadWrite, ct);
        Assert.Equal(0, beta.Count);
        await beta.CloseAsync(expunge: false, ct);
        await beta.DeleteAsync(ct);
        Assert.DoesNotContain("Beta", (await root.GetSubfoldersAsync(subscribedOnly: false, ct)).Select(f => f.FullName));
    }

    [Fact]
    public async Task StatusReportsCounters()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await server.DeliverAsync(ImapTestServer.Message(2));
        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        List<string> status = await raw.CommandAsync("s", "STATUS inbox (MESSAGES UIDNEXT UNSEEN DELETED SIZE HIGHESTMODSEQ)");
        Assert.Matches(@"^\* STATUS INBOX \(MESSAGES 2 UIDNEXT 3 UNSEEN 2 DELETED 0 SIZE \d+ HIGHESTMODSEQ \d+\)$", status[0]);
        Assert.Equal("s OK Status completed.", status[1]);
        Assert.Equal("t NO [NONEXISTENT] Mailbox doesn't exist: Nope", (await raw.CommandAsync("t", "STATUS Nope (MESSAGES)"))[^1]);
        Assert.Equal("u BAD Unknown STATUS item BOGUS.", (await raw.CommandAsync("u", "STATUS INBOX (BOGUS)"))[^1]);
    }

    [Fact]
    public async Task ExtendedListReturnsSubscribedSpecialUseAndStatus()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient raw = await server.ConnectAsync();
        await raw.LoginAsync();
        await raw.CommandAsync("c", "CREATE Work/Reports/");
        await raw.CommandAsync("d", "UNSUBSCRIBE Trash");
        await raw.CommandAsync("e", "SUBSCRIBE Work/Reports");
        await raw.CommandAsync("f", "SUBSCRIBE Gone");
        Assert.Equal(["g NO [ALREADYEXISTS] Mailbox already exists"], await raw.CommandAsync("g", "CREATE Work"));
        Assert.Equal(["h NO [CANNOT] INBOX can't be deleted."], await raw.CommandAsync("h", "DELETE inbox"));
        Assert.Equal(["i NO [HASCHILDREN] Mailbox has children, delete them first"], await raw.CommandAsync("i", "DELETE Work"));
        Assert.Equal(["j NO [NONEXISTENT] Mailbox doesn't exist."], await raw.CommandAsync("j", "RENAME Nope Other"));

        List<string> special = await raw.CommandAsync("l", "LIST (SPECIAL-USE) \"\" \"*\" RETURN (STATUS (MESSAGES))");
        Assert.Contains(@"* LIST (\HasNoChildren \Drafts) ""/"" Drafts", special);
        Assert.Contains("* STATUS Drafts (MESSAGES 0)", special);
        Assert.DoesNotContain(special, l => l.EndsWith(" INBOX", StringComparison.Ordinal));

        List<string> all = await raw.CommandAsync("m", "LIST \"\" % RETURN (SUBSCRIBED CHILDREN STATUS (MESSAGES UNSEEN))");
        Assert.Contains(@"* LIST (\HasNoChildren \Subscribed) ""/"" INBOX", all);
        Assert.Contains("* STATUS INBOX (MESSAGES 1 UNSEEN 1)", all);
        Assert.Contains(@"* LIST (\HasChildren) ""/"" Work", all);
        Assert.Contains(@"* LIST (\HasNoChildren \Trash) ""/"" Trash", all);
        Assert.DoesNotContain(all, l => l.Contains("Reports", StringComparison.Ordinal));

        List<string> subscribed = await raw.CommandAsync("n", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %");
        Assert.Contains(@"* LIST (\NonExistent \Subscribed) ""/"" Gone", subscribed);
        Assert.Contains(@"* LIST (\HasChildren) ""/"" Work (""CHILDINFO"" (""SUBSCRIBED""))", subscribed);
        Assert.DoesNotContain(subscribed, l => l.EndsWith(" Trash", StringComparison.Ordinal));

        List<string> lsub = await raw.CommandAsync("o", "LSUB \"\" %");
        Assert.Contains(@"* LSUB (\Noselect) ""/"" Work", lsub);
        Assert.Contains(@"* LSUB () ""/"" INBOX", lsub);
        Assert.Equal([@"* LIST (\Noselect) ""/"" """"", "p OK List completed."], await raw.CommandAsync("p", "LIST \"\" \"\""));
        Assert.Equal("q BAD RECURSIVEMATCH needs another selection option.", (await raw.CommandAsync("q", "LIST (RECURSIVEMATCH) \"\" *"))[^1]);
        Assert.Contains(@"* LIST (\HasNoChildren) ""/"" Work/Reports", await raw.CommandAsync("r", "LIST Work/ *"));
        Assert.Contains(@"* LIST (\HasNoChildren \Subscribed) ""/"" INBOX", await raw.CommandAsync("s", "LIST (SUBSCRIBED) \"\" inbox"));
    }
}
