using Mailroom.Imap.Tests.Server.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Imap.Tests.Server;

/// <summary>Imap:LoginTimeout is absolute: a client that never logs in is cut, however it spends the time.</summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task AClientTricklingOneByteEveryTenSecondsIsCutAtTheLoginTimeout()
    {
        var time = new FakeTimeProvider();
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using RawImapClient client = await server.ConnectAsync();
        Assert.StartsWith("* OK ", await client.ReadLineAsync(), StringComparison.Ordinal);
        Task<string?> reply = client.ReadLineAsync();

        for (int i = 0; i < 5; i++)
        {
            await client.SendAsync("x");
            await Task.Delay(20, TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(reply.IsCompleted);
        await client.SendAsync("x");
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("* BYE Disconnected for inactivity.", await reply);
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task CompleteCommandsDoNotExtendTheLoginTimeout()
    {
        var time = new FakeTimeProvider();
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();

        for (int i = 0; i < 2; i++)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            await client.SendAsync($"a{i} NOOP\r\n");
            Assert.Equal($"a{i} OK NOOP completed.", await client.ReadLineAsync());
        }

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("* BYE Disconnected for inactivity.", await client.ReadLineAsync());
    }

    [Fact]
    public async Task AfterLoginOnlyTheIdleTimeoutApplies()
    {
        var time = new FakeTimeProvider();
        await using ImapTestServer server = await ImapTestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using RawImapClient client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("a LOGIN charlie@alpha.example.org charlie\r\n");
        Assert.StartsWith("a OK ", await client.ReadLineAsync(), StringComparison.Ordinal);

        for (int i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(50));
            await client.SendAsync($"n{i} NOOP\r\n");
            Assert.Equal($"n{i} OK NOOP completed.", await client.ReadLineAsync());
        }
    }
}
