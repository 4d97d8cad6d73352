using System.Text;
using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>A command's work stops when its client leaves, and the log says which command was cut short.</summary>
public sealed class ClientGoneTests
{
    [Fact]
    public async Task SearchStopsWhenTheClientClosesTheConnection()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync();

        // Some 40 MB of base64 text to decode and scan: far longer than the 50 ms before the server watches for the
        // close, and than the close takes to arrive.
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
