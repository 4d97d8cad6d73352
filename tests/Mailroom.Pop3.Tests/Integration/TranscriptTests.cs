using Mailroom.Store.Mailboxes;
using System.Text;
using Mailroom.Pop3.Tests.Support;

namespace Mailroom.Pop3.Tests.Integration;

public sealed class TranscriptTests
{
    [Fact]
    public async Task ClassicTranscriptGetsDovecotsRepliesAndLogLines()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        long[] sizes = new long[3];
        for (int i = 0; i < 3; i++)
        {
            sizes[i] = (await server.DeliverAsync(Pop3TestServer.Message(i + 1, i == 2 ? "Third.\n.dotted line" : "Hello."))).Size;
        }

        await using (RawClient client = await server.ConnectAsync())
        {
            Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
            Assert.Equal("+OK", await client.CommandAsync("user charlie@alpha.example.org"));
            Assert.Equal("+OK Logged in.", await client.CommandAsync("pass charlie"));
            Assert.Equal("+OK 3 messages:", await client.CommandAsync("list"));
            Assert.Equal([$"1 {sizes[0]}", $"2 {sizes[1]}", $"3 {sizes[2]}"], await client.ReadMultilineAsync());
            Assert.Equal($"+OK {sizes[2]} octets", await client.CommandAsync("retr 3"));
            List<string> lines = await client.ReadMultilineAsync();
            Assert.Equal("Subject: Test 3", lines[2]);
            Assert.Equal("..dotted line", lines[^1]);
            Assert.Equal(sizes[2], lines.Sum(l => Encoding.UTF8.GetByteCount(l.StartsWith("..", StringComparison.Ordinal) ? l[1..] : l) + 2));
            Assert.Equal("+OK Logging out.", await client.CommandAsync("quit"));
            Assert.Null(await client.ReadLineAsync());
        }

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        Assert.Equal(
            [
                "pop3-login: Login: user=<charlie@alpha.example.org>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, secured",
                $"POP3(charlie@alpha.example.org): Disconnected: Logged out top=0/0, retr=1/{sizes[2]}, del=0/3, size={sizes.Sum()}",
            ],
            log);
    }

    [Fact]
    public async Task StatListUidlTopAndNoopAnswerPerRfc1939()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        var first = await server.DeliverAsync(Pop3TestServer.Message(1, "b1\nb2\nb3"));
        var second = await server.DeliverAsync(Pop3TestServer.Message(2));
        await using RawClient client = await server.ConnectAsync();
        await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
        Assert.Equal($"+OK 2 {first.Size + second.Size}", await client.CommandAsync("STAT"));
        Assert.Equal($"+OK 2 {second.Size}", await client.CommandAsync("LIST 2"));
        Assert.Equal("+OK", await client.CommandAsync("UIDL"));
        Assert.Equal([$"1 {first.Name}", $"2 {second.Name}"], await client.ReadMultilineAsync());
        Assert.Equal($"+OK 1 {first.Name}", await client.CommandAsync("UIDL 1"));
        Assert.Equal("+OK", await client.CommandAsync("TOP 1 1"));
        Assert.Equal(["From: sender@example.net", "To: charlie@alpha.example.org", "Subject: Test 1", "Message-ID: <1@example.net>", "", "b1"], await client.ReadMultilineAsync());
        Assert.Equal("+OK", await client.CommandAsync("NOOP"));
        Assert.Equal("+OK Marked to be deleted.", await client.CommandAsync("DELE 1"));
        Assert.Equal($"+OK 1 {second.Size}", await client.CommandAsync("STAT"));
        Assert.Equal("-ERR Message is deleted.", await client.CommandAsync("RETR 1"));
        Assert.Equal("+OK 1 messages:", await client.CommandAsync("LIST"));
        Assert.Equal([$"2 {second.Size}"], await client.ReadMultilineAsync());
        Assert.Equal("+OK", await client.CommandAsync("RSET"));
        Assert.Equal($"+OK 2 {first.Size + second.Size}", await client.CommandAsync("STAT"));
        Assert.Equal("+OK Logging out.", await client.CommandAsync("QUIT"));
        await server.LinesAfterDisconnectAsync();
        using FolderLease inbox = server.Store.OpenFolder(Pop3TestServer.Charlie, "INBOX")!;
        Assert.Equal(2, inbox.Folder.Current.Messages.Count);
    }

    [Fact]
    public async Task CapaListsLoginMethodsOnlyWhileTheyCanBeUsed()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        await using RawClient client = await server.ConnectAsync();
        Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
        Assert.Equal("+OK", await client.CommandAsync("CAPA"));
        Assert.Equal(
            ["CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "STLS", "USER", "SASL PLAIN", "IMPLEMENTATION Mailroom"],
            await client.ReadMultilineAsync());
        Assert.Equal("+OK", await client.CommandAsync("AUTH"));
        Assert.Equal(["PLAIN"], await client.ReadMultilineAsync());
        Assert.Equal("+OK", await client.CommandAsync("USER " + Pop3TestServer.Charlie));
        Assert.Equal("+OK Logged in.", await client.CommandAsync("PASS charlie"));
        Assert.Equal("+OK", await client.CommandAsync("capa"));
        Assert.Equal(["CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "IMPLEMENTATION Mailroom"], await client.ReadMultilineAsync());
    }

    [Fact]
    public async Task PipelinedCommandsAreAnsweredInOrder()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        var message = await server.DeliverAsync(Pop3TestServer.Message(1));
        await using RawClient client = await server.ConnectAsync();
        Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
        await client.SendAsync($"USER {Pop3TestServer.Charlie}\r\nPASS charlie\r\nSTAT\r\nQUIT\r\n");
        Assert.Equal("+OK", await client.ReadLineAsync());
        Assert.Equal("+OK Logged in.", await client.ReadLineAsync());
        Assert.Equal($"+OK 1 {message.Size}", await client.ReadLineAsync());
        Assert.Equal("+OK Logging out.", await client.ReadLineAsync());
    }

    [Fact]
    public async Task AuthPlainWorksWithAndWithoutAnInitialResponse()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        await using (RawClient client = await server.ConnectAsync())
        {
            Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
            Assert.Equal("-ERR [AUTH] Unsupported authentication mechanism.", await client.CommandAsync("AUTH CRAM-MD5"));
            Assert.Equal("+ ", await client.CommandAsync("AUTH PLAIN"));
            Assert.Equal("-ERR Authentication aborted.", await client.CommandAsync("*"));
            Assert.Equal("+ ", await client.CommandAsync("AUTH PLAIN"));
            Assert.Equal("-ERR Invalid base64 data.", await client.CommandAsync("%%%"));
            Assert.Equal("-ERR [AUTH] Authentication failed.", await client.CommandAsync("AUTH PLAIN " + Plain(Pop3TestServer.Charlie, "wrong")));
            Assert.Equal("+ ", await client.CommandAsync("AUTH PLAIN"));
            Assert.Equal("+OK Logged in.", await client.CommandAsync(Plain(Pop3TestServer.Charlie, "charlie")));
            Assert.Equal("-ERR Already logged in.", await client.CommandAsync("AUTH PLAIN " + Plain(Pop3TestServer.Charlie, "charlie")));
        }

        await using (RawClient client = await server.ConnectAsync())
        {
            Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
            Assert.Equal("+OK Logged in.", await client.CommandAsync("AUTH PLAIN " + Plain("dora@alpha.example.org", "explorer")));
        }
    }

    internal static string Plain(string user, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));

    [Fact]
    public async Task FailedLoginIsLoggedWithItsAttempts()
    {
        await using Pop3TestServer server = await Pop3TestServer.StartAsync();
        await using (RawClient client = await server.ConnectAsync())
        {
            Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
            Assert.Equal("+OK", await client.CommandAsync("USER x@alpha.example.org"));
            Assert.Equal("-ERR [AUTH] Authentication failed.", await client.CommandAsync("PASS nope"));
            Assert.Equal("-ERR No username given.", await client.CommandAsync("PASS nope"));
            Assert.Equal("+OK Logging out.", await client.CommandAsync("QUIT"));
        }

        IReadOnlyList<string> log = await server.LinesAfterDisconnectAsync();
        string line = Assert.Single(log);
        Assert.Matches(@"^pop3-login: Disconnected \(auth failed, 1 attempts in \d+ secs\): user=<x@alpha\.example\.org>, method=PLAIN, rip=127\.0\.0\.1, lip=127\.0\.0\.1, secured$", line);
    }
}
