using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>
/// Each limit on what one command may ask for, on both sides: at the limit the command is served, past it the answer
/// is <c>NO [LIMIT]</c> (RFC 9051 §7.1), which spends no error budget, and nothing changes.
/// </summary>
public sealed class CommandLimitTests
{
    [Fact]
    public async Task FetchItemsAreLimited()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxFetchItems = 3);
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await SelectedAsync(server);
        Assert.Equal("a OK Fetch completed.", (await client.CommandAsync("a", "FETCH 1 (FLAGS UID RFC822.SIZE)"))[^1]);
        Assert.Equal(["b NO [LIMIT] Too many FETCH items."], await client.CommandAsync("b", "FETCH 1 (FLAGS UID RFC822.SIZE INTERNALDATE)"));
        Assert.Equal("c OK Fetch completed.", (await client.CommandAsync("c", "FETCH 1 FAST"))[^1]);
        Assert.Equal(["d NO [LIMIT] Too many FETCH items."], await client.CommandAsync("d", "FETCH 1 ALL"));
    }

    [Fact]
    public async Task SearchKeysAndTheirNestingAreLimited()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o =>
        {
            o.MaxSearchKeys = 3;
            o.MaxSearchDepth = 2;
        });
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await SelectedAsync(server);
        Assert.Equal(["* SEARCH 1", "a OK Search completed."], await client.CommandAsync("a", "SEARCH ALL ALL ALL"));
        Assert.Equal(["b NO [LIMIT] Too many search keys."], await client.CommandAsync("b", "SEARCH ALL ALL ALL ALL"));
        Assert.Equal(["* SEARCH 1", "c OK Search completed."], await client.CommandAsync("c", "SEARCH (ALL)"));
        Assert.Equal(["d BAD Search criteria nested too deeply"], await client.CommandAsync("d", "SEARCH ((ALL))"));
    }

    [Fact]
    public async Task ListPatternsAreLimited()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxListPatterns = 2);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        List<string> two = await client.CommandAsync("a", "LIST \"\" (INBOX Trash)");
        Assert.Equal(3, two.Count);
        Assert.Equal("a OK List completed.", two[^1]);
        Assert.Equal(["b NO [LIMIT] Too many mailbox patterns."], await client.CommandAsync("b", "LIST \"\" (INBOX Trash Sent)"));
    }

    [Fact]
    public async Task LongListPatternIsAnsweredAtOnce()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "CREATE Archive/2024/Projects/Clients/Acme");
        Assert.Equal(["b OK List completed."], await client.CommandAsync("b", "LIST \"\" \"" + new string('*', 60) + "zzz\""));
        Assert.Equal(
            ["* LIST (\\HasNoChildren) \"/\" Archive/2024/Projects/Clients/Acme", "c OK List completed."],
            await client.CommandAsync("c", "LIST \"\" \"" + new string('*', 60) + "Acme\""));
    }

    [Fact]
    public async Task KeywordsPerMessageAreLimitedForStoreAndAppend()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxKeywordsPerMessage = 2);
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await SelectedAsync(server, "SELECT INBOX");
        Assert.Equal(["* 1 FETCH (FLAGS (\\Recent one two))", "a OK Store completed."], (await client.CommandAsync("a", "STORE 1 +FLAGS (one two)"))[2..]);
        Assert.Equal(["b NO [LIMIT] Too many keywords."], await client.CommandAsync("b", "STORE 1 +FLAGS (three)"));
        Assert.Equal(["* 1 FETCH (FLAGS (\\Recent one two))", "c OK Store completed."], await client.CommandAsync("c", "STORE 1 +FLAGS (ONE)"));
        Assert.Equal(["d NO [LIMIT] Too many keywords."], await client.CommandAsync("d", "STORE 1 FLAGS (x y z)"));
        Assert.Equal(["* 1 FETCH (FLAGS (\\Recent x y))", "e OK Store completed."], (await client.CommandAsync("e", "STORE 1 FLAGS (x y)"))[2..]);
        Assert.Matches(@"^f OK \[APPENDUID \d+ 2\] Append completed\.$", (await client.CommandAsync("f", "APPEND INBOX (a b) {1+}\r\nx"))[^1]);
        Assert.Equal(["g NO [LIMIT] Too many keywords."], await client.CommandAsync("g", "APPEND INBOX (a b c) {1+}\r\nx"));
    }

    private static async Task<RawImapClient> SelectedAsync(ImapTestServer server, string select = "EXAMINE INBOX")
    {
        RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", select);
        return client;
    }
}
