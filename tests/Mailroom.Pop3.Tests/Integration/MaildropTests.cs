using Mailroom.Pop3.Tests.Support;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Pop3.Tests.Integration;

public sealed class MaildropTests
{
    [Fact]
    public async Task SecondSessionForTheSameMailboxIsRefusedUntilTheFirstEnds()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        await using RawClient first = await server.ConnectAsync();
        await first.LoginAsync(Pop3TestServer.Charlie, "charlie");
        await using (RawClient second = await server.ConnectAsync())
        {
            Assert.Equal("+OK Mailroom ready.", await second.ReadLineAsync());
            Assert.Equal("+OK", await second.CommandAsync("USER " + Pop3TestServer.Charlie));
            Assert.Equal("-ERR [IN-USE] Mailbox is locked by another POP3 session.", await second.CommandAsync("PASS charlie"));

            // The lock is shared by the implicit-TLS listener too.
            Assert.True(server.Locks.IsLocked(Pop3TestServer.Charlie));
            Assert.Equal("+OK Logging out.", await first.CommandAsync("QUIT"));
            await server.LinesAfterDisconnectAsync();
            Assert.Equal("+OK", await second.CommandAsync("USER " + Pop3TestServer.Charlie));
            Assert.Equal("+OK Logged in.", await second.CommandAsync("PASS charlie"));
        }
    }

    [Fact]
    public async Task DeletionsHappenAtQuitAndNotWhenTheConnectionDrops()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(maildir: true);
        var first = await server.DeliverAsync(Pop3TestServer.Message(1));
        var second = await server.DeliverAsync(Pop3TestServer.Message(2));
        await using (RawClient dropped = await server.ConnectAsync())
        {
            await dropped.LoginAsync(Pop3TestServer.Charlie, "charlie");
            Assert.Equal("+OK Marked to be deleted.", await dropped.CommandAsync("DELE 1"));
            Assert.Equal($"+OK {second.Size} octets", await dropped.CommandAsync("RETR 2"));
            await dropped.ReadMultilineAsync();
            dropped.Abort();
        }

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Equal($"POP3(charlie@alpha.example.org): Disconnected: Connection closed top=0/0, retr=1/{second.Size}, del=0/2, size={first.Size + second.Size}", log[^1]);
        Assert.True(File.Exists(first.Path));
        Assert.True(File.Exists(second.Path));

        await using (RawClient client = await server.ConnectAsync())
        {
            await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
            Assert.Equal("+OK Marked to be deleted.", await client.CommandAsync("DELE 1"));
            Assert.Equal("+OK Logging out, messages deleted.", await client.CommandAsync("QUIT"));
        }

        log = await server.LinesAfterDisconnectAsync(2);
        Assert.EndsWith("Disconnected: Logged out top=0/0, retr=0/0, del=1/2, size=" + (first.Size + second.Size), log[^1], StringComparison.Ordinal);
        Assert.False(File.Exists(first.Path));
        Assert.True(File.Exists(second.Path));
    }

    [Fact]
    public async Task RetrievedMessagesMoveToCurAsSeenAndOthersStayNew()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(maildir: true);
        var read = await server.DeliverAsync(Pop3TestServer.Message(1));
        var unread = await server.DeliverAsync(Pop3TestServer.Message(2));
        await using (RawClient client = await server.ConnectAsync())
        {
            await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
            await client.CommandAsync("RETR 1");
            await client.ReadMultilineAsync();
            await client.CommandAsync("TOP 2 0");
            await client.ReadMultilineAsync();
            Assert.Equal("+OK Logging out.", await client.CommandAsync("QUIT"));
        }

        Assert.True(File.Exists(Path.Combine(server.CharlieMaildir, "cur", read.Name + ":2,S")));
        Assert.True(File.Exists(unread.Path));
    }

    [Fact]
    public async Task UniqueIdsSurviveSessionsFlagChangesAndARestart()
    {
        string root;
        List<string> before;
        await using (Pop3TestServer server = await Pop3TestServer.StartAsync(maildir: true))
        {
            await server.DeliverAsync(Pop3TestServer.Message(1));
            await server.DeliverAsync(Pop3TestServer.Message(2));
            await using (RawClient client = await server.ConnectAsync())
            {
                await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
                await client.CommandAsync("UIDL");
                before = await client.ReadMultilineAsync();
                await client.CommandAsync("RETR 1");
                await client.ReadMultilineAsync();
                await client.CommandAsync("QUIT");
            }

            await server.LinesAfterDisconnectAsync();

            // Copy the data away: disposing the server deletes its directory.
            root = Path.Combine(Path.GetTempPath(), "mailroom-pop3-restart-" + Guid.NewGuid().ToString("N"));
            CopyDirectory(server.Root, root);
        }

        try
        {
            await using Pop3TestServer restarted = await Pop3TestServer.StartAsync(existingRoot: root);
            await restarted.DeliverAsync(Pop3TestServer.Message(3));
            await using RawClient client = await restarted.ConnectAsync();
            await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
            await client.CommandAsync("UIDL");
            List<string> after = await client.ReadMultilineAsync();
            Assert.Equal(before, after.Take(2));
            Assert.Equal(3, after.Select(l => l.Split(' ')[1]).Distinct().Count());
        }
        finally
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task MailDeliveredDuringASessionAppearsInTheNextOne()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        await server.DeliverAsync(Pop3TestServer.Message(1));
        await using (RawClient client = await server.ConnectAsync())
        {
            await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
            await server.DeliverAsync(Pop3TestServer.Message(2));
            Assert.StartsWith("+OK 1 ", await client.CommandAsync("STAT"), StringComparison.Ordinal);
            Assert.Equal("+OK Logging out.", await client.CommandAsync("QUIT"));
        }

        await server.LinesAfterDisconnectAsync();
        await using RawClient next = await server.ConnectAsync();
        await next.LoginAsync(Pop3TestServer.Charlie, "charlie");
        Assert.StartsWith("+OK 2 ", await next.CommandAsync("STAT"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BareLineFeedFilesAreSentWithCrlfAndCountedAsSent()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(maildir: true);
        await server.DeliverAsync(Pop3TestServer.Message(1));
        string foreign = Path.Combine(server.CharlieMaildir, "cur", "1.M1P1Q1.elsewhere:2,S");
        await File.WriteAllTextAsync(foreign, "Subject: lf\n\n.one\ntwo", TestContext.Current.CancellationToken);
        await using RawClient client = await server.ConnectAsync();
        await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
        long expected = "Subject: lf\r\n\r\n.one\r\ntwo\r\n".Length;

        // Message 2: the delivery numbered its message at once; the file put in afterwards comes after it.
        Assert.Equal($"+OK 2 {expected}", await client.CommandAsync("LIST 2"));
        Assert.Equal($"+OK {expected} octets", await client.CommandAsync("RETR 2"));
        Assert.Equal(["Subject: lf", "", "..one", "two"], await client.ReadMultilineAsync());
        Assert.Equal("+OK 2 1.M1P1Q1.elsewhere", await client.CommandAsync("UIDL 2"));
    }

    [Fact]
    public async Task AMessageExpungedByAnotherSessionAfterLoginIsStillRetrieved()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(maildir: true);
        var delivered = await server.DeliverAsync(Pop3TestServer.Message(1, "Still here."));
        await using RawClient client = await server.ConnectAsync();
        await client.LoginAsync(Pop3TestServer.Charlie, "charlie");

        // An IMAP client's EXPUNGE of the same message, through the store.
        using (FolderLease imap = server.Store.OpenFolder(Pop3TestServer.Charlie, "INBOX")!)
        {
            imap.Folder.Remove([imap.Folder.Current.Messages[0].Uid]);
        }

        Assert.False(File.Exists(delivered.Path));
        Assert.Equal($"+OK {delivered.Size} octets", await client.CommandAsync("RETR 1"));
        Assert.Contains("Still here.", await client.ReadMultilineAsync());
        Assert.Equal("+OK Logging out.", await client.CommandAsync("QUIT"));
    }

    [Fact]
    public async Task AFifoInTheInboxIsLeftOutAndTheRestOfTheMailIsServed()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(maildir: true);
        var delivered = await server.DeliverAsync(Pop3TestServer.Message(1));
        string fifo = Path.Combine(server.CharlieMaildir, "cur", "1.M1P1Q1.elsewhere:2,S");
        Fifo.Make(fifo);

        await using RawClient client = await server.ConnectAsync();
        await client.LoginAsync(Pop3TestServer.Charlie, "charlie");

        Assert.Equal($"+OK 1 {delivered.Size}", await client.CommandAsync("STAT"));
        Assert.Equal($"+OK {delivered.Size} octets", await client.CommandAsync("RETR 1"));
        await client.ReadMultilineAsync();
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("1 unreadable messages left out of the maildrop", StringComparison.Ordinal));
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (string dir in System.IO.Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            System.IO.Directory.CreateDirectory(dir.Replace(source, target, StringComparison.Ordinal));
        }

        System.IO.Directory.CreateDirectory(target);
        foreach (string file in System.IO.Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(source, target, StringComparison.Ordinal));
        }
    }
}
