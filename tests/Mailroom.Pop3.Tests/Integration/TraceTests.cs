using System.Text;
using Mailroom.Pop3.Tests.Support;
using Mailroom.Testing;

namespace Mailroom.Pop3.Tests.Integration;

public sealed class TraceTests
{
    [Fact]
    public async Task ATracedSessionShowsCommandsAndRepliesWithPasswordsRedactedAndBodiesSummarised()
    {
        using var trace = new TraceFolder("127.0.0.1");
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(tracer: trace.Tracer);
        long size = (await server.DeliverAsync(Pop3TestServer.Message(1, "the body stays out of the trace"))).Size;
        await using (RawClient client = await server.ConnectAsync())
        {
            Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
            Assert.Equal("+OK", await client.CommandAsync("USER charlie@alpha.example.org"));
            Assert.StartsWith("-ERR", await client.CommandAsync("PASS wrong-password"), StringComparison.Ordinal);
            Assert.Equal("+ ", await client.CommandAsync("AUTH PLAIN"));
            Assert.Equal("+OK Logged in.", await client.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("\0charlie@alpha.example.org\0charlie"))));
            Assert.Equal($"+OK {size} octets", await client.CommandAsync("RETR 1"));
            await client.ReadMultilineAsync();
            Assert.Equal("+OK Logging out.", await client.CommandAsync("QUIT"));
        }

        string transcript = await trace.FinishedTranscriptAsync();
        string[] lines = TraceFolder.Lines(transcript);
        Assert.Equal(
            [
                "S: +OK Mailroom ready.",
                "C: USER charlie@alpha.example.org",
                "S: +OK",
            ],
            lines[1..4]);
        Assert.Equal("C: PASS <redacted>", lines[4]);
        Assert.Contains("C: AUTH PLAIN", lines);
        Assert.Contains("C: <redacted>", lines);
        Assert.Contains("# logged in as charlie@alpha.example.org", lines);
        int retr = Array.IndexOf(lines, "C: RETR 1");
        Assert.Equal($"S: +OK {size} octets", lines[retr + 1]);
        Assert.Matches(@"^S: <message body: \d+ bytes>$", lines[retr + 2]);
        Assert.Equal(["C: QUIT", "S: +OK Logging out.", "# connection closed"], lines[^3..]);
        Assert.DoesNotContain("wrong-password", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("the body stays out", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUntracedSessionWritesNothing()
    {
        using var trace = new TraceFolder("192.0.2.1", "dora@alpha.example.org");
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(tracer: trace.Tracer);
        await using (RawClient client = await server.ConnectAsync())
        {
            await client.LoginAsync(Pop3TestServer.Charlie, "charlie");
            Assert.Equal("+OK Logging out.", await client.CommandAsync("QUIT"));
        }

        await server.LinesAfterDisconnectAsync();
        Assert.Empty(trace.Files);
    }
}
