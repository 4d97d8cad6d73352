using Mailroom.Imap.Tests.Server.Support;
using Mailroom.Testing;

namespace Mailroom.Imap.Tests.Server;

public sealed class TraceTests
{
    private const string Appended = "Subject: appended\r\n\r\nappended text stays out too\r\n";

    [Fact]
    public async Task ATracedSessionRedactsLoginEvenAcrossALiteralAndSummarisesLiteralsBothWays()
    {
        using var trace = new TraceFolder("127.0.0.1");
        await using ImapTestServer server = await ImapTestServer.StartAsync(tracer: trace.Tracer);
        await server.DeliverAsync(ImapTestServer.Message(1, "the body stays out of the trace"));
        await using (RawImapClient client = await server.ConnectAsync())
        {
            await client.ReadLineAsync();
            await client.SendAsync("a LOGIN {25}\r\n");
            Assert.Equal("+ Ready for literal data", await client.ReadLineAsync());
            await client.SendAsync("charlie@alpha.example.org \"charlie\"\r\n");
            Assert.StartsWith("a OK ", (await client.ReadUntilTaggedAsync("a"))[^1], StringComparison.Ordinal);
            await client.CommandAsync("b", "SELECT INBOX");
            Assert.StartsWith("c OK ", (await client.CommandAsync("c", "FETCH 1 BODY[]"))[^1], StringComparison.Ordinal);
            await client.SendAsync("d APPEND INBOX {" + Appended.Length + "+}\r\n" + Appended + "\r\n");
            Assert.StartsWith("d OK ", (await client.ReadUntilTaggedAsync("d"))[^1], StringComparison.Ordinal);
            await client.CommandAsync("e", "LOGOUT");
        }

        string transcript = await trace.FinishedTranscriptAsync();
        string[] lines = TraceFolder.Lines(transcript);
        Assert.StartsWith("S: * OK [CAPABILITY ", lines[1], StringComparison.Ordinal);
        Assert.Equal(["C: a LOGIN <redacted>", "S: + Ready for literal data", "C: <literal: 25 bytes>", "C: <redacted>"], lines[2..6]);
        Assert.Contains("# logged in as charlie@alpha.example.org", lines);
        int fetch = Array.IndexOf(lines, "C: c FETCH 1 BODY[]");
        Assert.Matches(@"^S: \* 1 FETCH \(.*BODY\[\] \{\d+\}$", lines[fetch + 1]);
        Assert.Matches(@"^S: <literal: \d+ bytes>$", lines[fetch + 2]);
        Assert.Contains($"C: d APPEND INBOX {{{Appended.Length}+}}", lines);
        Assert.Contains($"C: <message body: {Appended.Length} bytes>", lines);
        Assert.Contains("C: e LOGOUT", lines);
        Assert.DoesNotContain("\"charlie\"", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("stays out", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATracedUserIsTracedFromLoginAndAnAuthenticateResponseIsRedacted()
    {
        using var trace = new TraceFolder(ImapTestServer.Charlie);
        await using ImapTestServer server = await ImapTestServer.StartAsync(tracer: trace.Tracer);
        await using (RawImapClient client = await server.ConnectAsync())
        {
            await client.ReadLineAsync();
            string plain = Convert.ToBase64String("\0charlie@alpha.example.org\0charlie"u8.ToArray());
            Assert.StartsWith("a OK ", (await client.CommandAsync("a", "AUTHENTICATE PLAIN " + plain))[^1], StringComparison.Ordinal);
            await client.CommandAsync("b", "NOOP");
            await client.CommandAsync("c", "LOGOUT");
        }

        string[] lines = TraceFolder.Lines(await trace.FinishedTranscriptAsync());
        Assert.Contains("traced for user charlie@alpha.example.org", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("S: a OK ", lines[1], StringComparison.Ordinal);
        Assert.Equal("C: b NOOP", lines[2]);
    }

    [Fact]
    public async Task AnAuthenticateInitialResponseIsRedactedAndAnUntracedSessionWritesNothing()
    {
        using (var trace = new TraceFolder("127.0.0.1"))
        {
            await using ImapTestServer server = await ImapTestServer.StartAsync(tracer: trace.Tracer);
            await using (RawImapClient client = await server.ConnectAsync())
            {
                await client.ReadLineAsync();
                string plain = Convert.ToBase64String("\0charlie@alpha.example.org\0charlie"u8.ToArray());
                await client.CommandAsync("a", "AUTHENTICATE PLAIN " + plain);
                await client.CommandAsync("b", "LOGOUT");
            }

            string transcript = await trace.FinishedTranscriptAsync();
            Assert.Contains("C: a AUTHENTICATE PLAIN <redacted>", TraceFolder.Lines(transcript));
            Assert.DoesNotContain(Convert.ToBase64String("\0charlie@alpha.example.org\0charlie"u8.ToArray()), transcript, StringComparison.Ordinal);
        }

        using (var untraced = new TraceFolder("192.0.2.0/24", "dora@alpha.example.org"))
        {
            await using ImapTestServer server = await ImapTestServer.StartAsync(tracer: untraced.Tracer);
            await using (RawImapClient client = await server.ConnectAsync())
            {
                await client.LoginAsync();
                await client.CommandAsync("b", "LOGOUT");
            }

            await server.LinesAfterDisconnectAsync();
            Assert.Empty(untraced.Files);
        }
    }
}
