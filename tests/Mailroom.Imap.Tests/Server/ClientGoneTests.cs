using System.Text;
using Mailroom.Imap.Server;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>A command's work stops when its client leaves, and the log says which command was cut short.</summary>
public sealed class ClientGoneTests
{
    [Fact]
    public async Task SearchStopsWhenTheClientClosesTheConnection()
    {
        // The race under test is the close against the running SEARCH. The server's watch for a leaving client starts
        // 50 ms into a command, on a timer a loaded machine can delay past the whole SEARCH; here it starts at once.
        await using ImapTestServer server = await ImapTestServer.StartAsync(time: new WatchAtOnceTime());

        // Some 40 MB of base64 text to decode and scan: far longer than the close takes to arrive.
        string body = Convert.ToBase64String(Encoding.ASCII.GetBytes(new string('x', 2_000_000)), Base64FormattingOptions.InsertLineBreaks);
        for (int i = 0; i < 16; i++)
        {
            await server.DeliverAsync($"Subject: {i}\nContent-Transfer-Encoding: base64\n\n{body}\n");
        }

        RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("a", "EXAMINE INBOX");
        await client.SendAsync("b SEARCH TEXT \"not in any message\"\r\n");
        await client.DisposeAsync();

        string line = Assert.Single(await server.LinesAfterDisconnectAsync(), l => l.Contains("Disconnected", StringComparison.Ordinal));
        Assert.StartsWith("IMAP(" + ImapTestServer.Charlie + "): Disconnected: Connection closed (SEARCH running) in=", line, StringComparison.Ordinal);
    }

    /// <summary>The system clock, except that the watch for a leaving client (<see cref="ImapSession.WatchDelay"/>) fires at once.</summary>
    private sealed class WatchAtOnceTime : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new WatchAtOnceTimer(base.CreateTimer(callback, state, AtOnce(dueTime), period));

        private static TimeSpan AtOnce(TimeSpan dueTime) => dueTime == ImapSession.WatchDelay ? TimeSpan.Zero : dueTime;

        private sealed class WatchAtOnceTimer(ITimer inner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(AtOnce(dueTime), period);

            public void Dispose() => inner.Dispose();

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    [Fact]
    public async Task CommandsSentBeforeTheCloseAreStillAnswered()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();
        await server.DeliverAsync(ImapTestServer.Message(1));
        RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.SendAsync("a EXAMINE INBOX\r\nb SEARCH ALL\r\nc LOGOUT\r\n");
        Assert.Equal("a OK [READ-ONLY] Examine completed.", (await client.ReadUntilTaggedAsync("a"))[^1]);
        Assert.Equal(["* SEARCH 1", "b OK Search completed."], await client.ReadUntilTaggedAsync("b"));
        Assert.Equal(["* BYE Logging out", "c OK Logout completed."], await client.ReadUntilTaggedAsync("c"));
        await client.DisposeAsync();
    }
}
