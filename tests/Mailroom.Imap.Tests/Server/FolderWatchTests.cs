using Mailroom.Imap.Tests.Server.Support;

namespace Mailroom.Imap.Tests.Server;

/// <summary>Changes made by other programs reach sessions through the store's one watch per folder, not a per-session poll.</summary>
public sealed class FolderWatchTests
{
    [Fact]
    public async Task MessageAnotherProgramDeliversReachesEverySessionIdlingOnTheFolder()
    {
        // The fallback poll is an hour: only the file-system watch can bring the news within the wait below.
        await using ImapTestServer server = await ImapTestServer.StartAsync(maildir: true, configureStore: o => o.FolderPollInterval = TimeSpan.FromHours(1));
        await using RawImapClient first = await server.ConnectAsync();
        await using RawImapClient second = await server.ConnectAsync();
        foreach (RawImapClient client in new[] { first, second })
        {
            await client.LoginAsync();
            await client.CommandAsync("s", "SELECT INBOX");
            await client.SendAsync("i IDLE\r\n");
            Assert.Equal("+ idling", await client.ReadLineAsync());
        }

        await server.DeliverAsAnotherProgramAsync(1);

        foreach (RawImapClient client in new[] { first, second })
        {
            Assert.Equal("* 1 EXISTS", await client.ReadLineAsync());
            await client.SendAsync("DONE\r\n");
            Assert.Equal("i OK Idle completed.", (await client.ReadUntilTaggedAsync("i"))[^1]);
        }
    }

    [Fact]
    public async Task FlagChangedByAnotherProgramReachesNoop()
    {
        await using ImapTestServer server = await ImapTestServer.StartAsync(maildir: true);
        await server.DeliverAsync(ImapTestServer.Message(1));
        await using RawImapClient client = await server.ConnectAsync();
        await client.LoginAsync();
        await client.CommandAsync("s", "SELECT INBOX");
        string cur = Path.Combine(server.Maildirs.GetMaildirPath(ImapTestServer.Charlie), "cur");
        string file = Assert.Single(System.IO.Directory.GetFiles(cur));
        string flagged = file.Contains(":2,", StringComparison.Ordinal) ? file + "F" : file + ":2,F";
        File.Move(file, flagged);
        List<string> noop = await client.CommandAsync("n", "NOOP");
        Assert.Contains(noop, static l => l.StartsWith("* 1 FETCH (", StringComparison.Ordinal) && l.Contains("\\Flagged", StringComparison.Ordinal));
    }
}
