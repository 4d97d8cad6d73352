using Mailroom.Pop3.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Pop3.Tests.Integration;

/// <summary>Pop3:LoginTimeout is absolute: a client that never logs in is cut, however it spends the time.</summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task AClientTricklingOneByteEveryTenSecondsIsCutAtTheLoginTimeout()
    {
        var time = new FakeTimeProvider();
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using RawClient client = await RawClient.ConnectAsync(server.EndPoint);
        Assert.Equal("+OK Mailroom ready.", await client.ReadLineAsync());
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

        Assert.Equal("-ERR Disconnected for inactivity.", await reply);
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task CompleteCommandsDoNotExtendTheLoginTimeout()
    {
        var time = new FakeTimeProvider();
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using RawClient client = await RawClient.ConnectAsync(server.EndPoint);
        await client.ReadLineAsync();

        for (int i = 0; i < 2; i++)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            Assert.Equal("+OK", await client.CommandAsync("NOOP"));
        }

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("-ERR Disconnected for inactivity.", await client.ReadLineAsync());
    }

    [Fact]
    public async Task AfterLoginOnlyTheIdleTimeoutApplies()
    {
        var time = new FakeTimeProvider();
        await using Pop3TestServer server = await Pop3TestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using RawClient client = await RawClient.ConnectAsync(server.EndPoint);
        await client.ReadLineAsync();
        Assert.Equal("+OK", await client.CommandAsync("USER " + Pop3TestServer.Charlie));
        Assert.Equal("+OK Logged in.", await client.CommandAsync("PASS charlie"));

        for (int i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(50));
            Assert.Equal("+OK", await client.CommandAsync("NOOP"));
        }
    }
}
