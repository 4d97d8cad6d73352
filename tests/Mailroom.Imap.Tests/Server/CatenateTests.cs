using System.Globalization;
using System.Text;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>CATENATE (RFC 4469) with IMAP URLs (RFC 5092) of the user's own messages.</summary>
public sealed class CatenateTests
{
    private const string Multipart =
        "From: a@example.net\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
        "--b\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n--b\r\nContent-Type: text/plain\r\n\r\nsecond part\r\n--b--\r\n";

    [Fact]
    public async Task CatenateJoinsTextAndUrlsOfWholeMessagesPartsHeadersAndRanges()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(maildir: true);
        await server.DeliverAsync(Multipart);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Contains(" CATENATE ", (await client.CommandAsync("c", "CAPABILITY"))[0], StringComparison.Ordinal);
        List<string> select = await client.CommandAsync("s", "SELECT INBOX");
        string validity = select.Single(l => l.StartsWith("* OK [UIDVALIDITY ", StringComparison.Ordinal)).Split(' ', ']')[3];

        Assert.StartsWith("a OK [APPENDUID ", (await Append(client, "a", "INBOX",
            "CATENATE (URL \"/INBOX;UIDVALIDITY=" + validity + "/;UID=1/;SECTION=HEADER\" TEXT " + Literal("one: ") +
            " URL \";UID=1/;SECTION=1\" TEXT " + Literal(", two: ") + " url \"/inbox/;uid=1/;section=2/;partial=0.6\" TEXT " + Literal("\r\n") + ")"))[^1],
            StringComparison.Ordinal);
        Assert.StartsWith("b OK [APPENDUID ", (await Append(client, "b", "INBOX", "CATENATE (URL \"imap://127.0.0.1/INBOX/;UID=1\")"))[^1], StringComparison.Ordinal);

        List<string> fetch = await client.CommandAsync("f", "FETCH 2:3 BODY.PEEK[]");
        string expected = "From: a@example.net\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "one: first part, two: second\r\n";
        Assert.Equal(Lines(expected), Between(fetch, "* 2 FETCH"));
        Assert.Equal(Lines(Multipart), Between(fetch, "* 3 FETCH"));
    }

    [Fact]
    public async Task CatenateWithMultiappendSavesAllOrNothing()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(Multipart);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Matches(@"^c OK \[MAILBOXID \(F[0-9a-f]+\)\] Create completed\.$", Assert.Single(await client.CommandAsync("c", "CREATE Drafts2")));
        Assert.StartsWith("a OK [APPENDUID ", (await Append(client, "a", "Drafts2",
            "CATENATE (URL \"/INBOX/;UID=1/;SECTION=1.MIME\" TEXT " + Literal("x\r\n") + ") (\\Seen) " + Literal("Subject: plain\r\n\r\nbody\r\n")))[^1], StringComparison.Ordinal);
        Assert.Equal(["b NO [BADURL /INBOX;UIDVALIDITY=1/;UID=1] Bad URL or no such message or part."], await Append(client, "b", "Drafts2",
            "CATENATE (TEXT " + Literal("x\r\n") + ") CATENATE (URL \"/INBOX;UIDVALIDITY=1/;UID=1\")"));
        Assert.Equal(["* STATUS Drafts2 (MESSAGES 2)", "s OK Status completed."], await client.CommandAsync("s", "STATUS Drafts2 (MESSAGES)"));
    }

    [Theory]
    [InlineData("/INBOX/;UID=2")]
    [InlineData("/INBOX/;UID=1/;SECTION=3")]
    [InlineData("/INBOX/;UID=1/;SECTION=1.HEADER")]
    [InlineData("/INBOX/;UID=1/;SECTION=HEADER.FIELDS%20(FROM)")]
    [InlineData("/Nowhere/;UID=1")]
    [InlineData("/;UID=1")]
    [InlineData(";UID=1")]
    [InlineData("imap://elsewhere.example/INBOX/;UID=1")]
    [InlineData("imap://samt%40example.org@127.0.0.1/INBOX/;UID=1")]
    [InlineData("/INBOX/;UID=1/;URLAUTH=anonymous:internal:0123")]
    public async Task UrlsThatNameNothingOfThisUserAreBadUrl(string url)
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(Multipart);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["a NO [BADURL " + url + "] Bad URL or no such message or part."], await Append(client, "a", "INBOX", "CATENATE (URL \"" + url + "\" TEXT " + Literal("x") + ")"));
        Assert.Equal(["* STATUS INBOX (MESSAGES 1)", "s OK Status completed."], await client.CommandAsync("s", "STATUS INBOX (MESSAGES)"));
    }

    [Fact]
    public async Task BadUrlEchoesNoLineBreakOrBracketOfTheUrl()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["a NO [BADURL /a%0D%0A*%20b%5D;UID=1] Bad URL or no such message or part."],
            await Append(client, "a", "INBOX", "CATENATE (URL " + Literal("/a\r\n* b];UID=1") + ")"));
        Assert.Equal(["b NO [BADURL \"\"] Bad URL or no such message or part."], await Append(client, "b", "INBOX", "CATENATE (URL \"\")"));
    }

    [Fact]
    public async Task MissingTargetMailboxIsTryCreateBeforeUrlsAreLookedAt()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["a NO [TRYCREATE] Mailbox doesn't exist: Nowhere"], await Append(client, "a", "Nowhere", "CATENATE (URL \"/INBOX;UIDVALIDITY=1/;UID=1\")"));
    }

    [Fact]
    public async Task SyntaxErrorsAreBad()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        Assert.Equal(["a BAD Expected TEXT or URL in CATENATE"], await client.CommandAsync("a", "APPEND INBOX CATENATE (FOO \"x\")"));
        Assert.Equal(["b BAD CATENATE TEXT takes a literal"], await client.CommandAsync("b", "APPEND INBOX CATENATE (TEXT \"x\")"));
        Assert.Equal("c BAD", (await client.CommandAsync("c", "APPEND INBOX CATENATE ()"))[0][..5]);
        Assert.Equal("d BAD", (await client.CommandAsync("d", "APPEND INBOX CATENATE (URL \"/INBOX/;UID=1\""))[0][..5]);
    }

    [Fact]
    public async Task UrlCountAtTheLimitIsTakenAndOneMoreIsLimit()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxCatenateUrls = 3);
        await server.DeliverAsync(Multipart);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        string url = "URL \"/INBOX/;UID=1/;SECTION=1\"";
        Assert.StartsWith("a OK [APPENDUID ", (await Append(client, "a", "INBOX", "CATENATE (" + url + " " + url + ") CATENATE (" + url + ")"))[^1], StringComparison.Ordinal);
        Assert.Equal(["b NO [LIMIT] Too many URLs in one APPEND."], await Append(client, "b", "INBOX", "CATENATE (" + url + " " + url + ") CATENATE (" + url + " " + url + ")"));
    }

    [Fact]
    public async Task CatenatedMessageAtAppendLimitIsTakenAndOneByteMoreIsTooBig()
    {
        const int Limit = 4096;
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.MaxLiteralSize = Limit, maildir: true);
        string stored = "Subject: big\r\n\r\n" + new string('z', 3000) + "\r\n";
        await server.DeliverAsync(stored);
        int size = Encoding.ASCII.GetByteCount(stored);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        string fits = new('y', Limit - size);
        Assert.StartsWith("a OK [APPENDUID ", (await Append(client, "a", "INBOX", "CATENATE (URL \"/INBOX/;UID=1\" TEXT " + Literal(fits) + ")"))[^1], StringComparison.Ordinal);
        Assert.Equal(["b NO [TOOBIG] Message too large."], await Append(client, "b", "INBOX", "CATENATE (URL \"/INBOX/;UID=1\" TEXT " + Literal(fits + "y") + ")"));
        Assert.Equal(["c NO [TOOBIG] Message too large."], await Append(client, "c", "INBOX", "CATENATE (URL \"/INBOX/;UID=1\" URL \"/INBOX/;UID=1\")"));
        Assert.Equal(["* STATUS INBOX (MESSAGES 2)", "s OK Status completed."], await client.CommandAsync("s", "STATUS INBOX (MESSAGES)"));
    }

    [Fact]
    public async Task CatenateCommandSplitAtEveryByteIsOneCommand()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(Multipart);
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        byte[] command = Encoding.ASCII.GetBytes("a APPEND INBOX CATENATE (TEXT " + Literal("Subject: s\r\n\r\n") + " URL \"/INBOX/;UID=1/;SECTION=2\")\r\n");
        foreach (byte b in command)
        {
            await client.SendAsync([b]);
        }

        Assert.StartsWith("a OK [APPENDUID ", (await client.ReadUntilTaggedAsync("a"))[^1], StringComparison.Ordinal);
        await client.CommandAsync("s", "SELECT INBOX");
        Assert.Equal(Lines("Subject: s\r\n\r\nsecond part"), Between(await client.CommandAsync("f", "FETCH 2 BODY.PEEK[]"), "* 2 FETCH"));
    }

    private static Task<List<string>> Append(RawImapClient client, string tag, string mailbox, string data) =>
        client.CommandAsync(tag, "APPEND " + mailbox + " " + data);

    /// <summary>A non-synchronising literal (LITERAL+), so the command goes in one write.</summary>
    private static string Literal(string text) =>
        "{" + Encoding.UTF8.GetByteCount(text).ToString(CultureInfo.InvariantCulture) + "+}\r\n" + text;

    private static List<string> Lines(string text) => [.. text.Split("\r\n")];

    /// <summary>The literal of a one-item FETCH response, as lines (its last line joined with the closing parenthesis).</summary>
    private static List<string> Between(List<string> response, string start)
    {
        int first = response.FindIndex(l => l.StartsWith(start, StringComparison.Ordinal));
        var lines = new List<string>();
        for (int i = first + 1; i < response.Count; i++)
        {
            if (response[i].EndsWith(')') && (i + 1 == response.Count || response[i + 1].StartsWith("* ", StringComparison.Ordinal) || response[i + 1].StartsWith("f OK", StringComparison.Ordinal)))
            {
                lines.Add(response[i][..^1]);
                return lines;
            }

            lines.Add(response[i]);
        }

        return lines;
    }
}
