using System.Text;
using Mailroom.Sieve.Tests.Support;
using Mailroom.Testing;

namespace Mailroom.Sieve.Tests.ManageSieve;

public sealed class TraceTests
{
    private static readonly string Plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{ManageSieveTestServer.Charlie}\0{ManageSieveTestServer.CharliePassword}"));

    [Fact]
    public async Task ATracedSessionRedactsAuthenticateAndSummarisesScripts()
    {
        using var trace = new TraceFolder("127.0.0.1");
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(tracer: trace.Tracer);
        const string Script = "keep; # the script stays out of the trace\r\n";
        await using (ManageSieveClient client = await server.ConnectAsync())
        {
            Assert.Equal(["NO \"Authentication failed.\""], await client.CommandAsync($"AUTHENTICATE \"PLAIN\" \"{Convert.ToBase64String("\0charlie@alpha.example.org\0nope"u8.ToArray())}\""));
            await client.SendAsync("AUTHENTICATE \"PLAIN\"\r\n");
            Assert.Equal("\"\"", await client.ReadLineAsync());
            await client.SendAsync($"{{{Plain.Length}+}}\r\n{Plain}\r\n");
            Assert.Equal(["OK \"Logged in.\""], await client.ReadResponseAsync());
            Assert.StartsWith("OK", (await client.PutScriptAsync("main", Script))[^1], StringComparison.Ordinal);
            List<string> got = await client.CommandAsync("GETSCRIPT \"main\"");
            Assert.StartsWith("OK", got[^1], StringComparison.Ordinal);
            await client.CommandAsync("LOGOUT");
        }

        string transcript = await trace.FinishedTranscriptAsync();
        string[] lines = TraceFolder.Lines(transcript);
        Assert.Contains("C: AUTHENTICATE \"PLAIN\" <redacted>", lines);
        int exchange = Array.IndexOf(lines, "C: AUTHENTICATE \"PLAIN\"");
        Assert.Equal(["S: \"\"", "C: <redacted>", $"C: <literal: {Plain.Length} bytes>", "C: ", "# logged in as charlie@alpha.example.org"], lines[(exchange + 1)..(exchange + 6)]);
        Assert.Contains($"C: PUTSCRIPT \"main\" {{{Encoding.UTF8.GetByteCount(Script)}+}}", lines);
        Assert.Contains($"C: <literal: {Encoding.UTF8.GetByteCount(Script)} bytes>", lines);
        Assert.Contains(lines, l => l.StartsWith("S: <literal: ", StringComparison.Ordinal));
        Assert.DoesNotContain(Plain, transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("the script stays out", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUntracedSessionWritesNothing()
    {
        using var trace = new TraceFolder("192.0.2.1", "dora@alpha.example.org");
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(tracer: trace.Tracer);
        await using (ManageSieveClient client = await server.ConnectAsync())
        {
            await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);
            await client.CommandAsync("LOGOUT");
        }

        await server.LinesAfterDisconnectAsync();
        Assert.Empty(trace.Files);
    }
}
