using System.Text;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>What describing one message may cost, on both sides of each limit, through the server's FETCH.</summary>
public sealed class MessageLimitTests
{
    private const string Nested =
        "Subject: nested\nContent-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\nx\n--b--\n--a--\n";

    [Theory]
    [InlineData(2, "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1 0) \"alternative\") \"mixed\")")]
    [InlineData(1, "(\"multipart\" \"alternative\" (\"boundary\" \"b\") NIL NIL \"7bit\" 15) \"mixed\")")]
    public async Task MimeNestingPastTheLimitIsContent(int depth, string inner)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxMimeDepth = depth);
        await server.DeliverAsync(Nested);
        Assert.Equal("* 1 FETCH (BODY (" + inner + ")", (await FetchAsync(server, "BODY"))[0]);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 1)]
    public async Task PartsPastTheLimitAreContentOfTheLastPart(int limit, int parts)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxMimeParts = limit);
        await server.DeliverAsync("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n--b--\n");
        string body = (await FetchAsync(server, "BODY"))[0];
        Assert.Equal(parts, body.Split("(\"text\" \"plain\"").Length - 1);
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(2, 2)]
    public async Task EnvelopeAddressListsAreCutAtTheLimit(int limit, int shown)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxEnvelopeAddresses = limit);
        await server.DeliverAsync("From: f@x\nTo: a@x, b@x, c@x\n\nbody\n");
        string envelope = (await FetchAsync(server, "ENVELOPE"))[0];
        string to = string.Concat(new[] { "a", "b", "c" }.Take(shown).Select(m => "(NIL NIL \"" + m + "\" \"x\")"));
        Assert.Contains(" (" + to + ") NIL NIL NIL NIL)", envelope, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeAddressListIsDescribedWithinTheLimit()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        StringBuilder to = new("To: ");
        to.Insert(4, string.Concat(Enumerable.Repeat("(x)", 200_000)));
        to.Append(string.Join(',', Enumerable.Repeat("a", 200_000)));
        await server.DeliverAsync("From: f@x\n" + to + "\nSubject: many\n\nbody\n");
        string envelope = (await FetchAsync(server, "ENVELOPE"))[0];
        Assert.Equal(1000, envelope.Split("\"a\" \"MISSING_DOMAIN\")").Length - 1);
    }

    private static async Task<List<string>> FetchAsync(ImapTestServer server, string items)
    {
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", "EXAMINE INBOX");
        List<string> lines = await client.CommandAsync("f", "FETCH 1 (" + items + ")");
        Assert.Equal("f OK Fetch completed.", lines[^1]);
        return lines;
    }
}
