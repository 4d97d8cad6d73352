using Mailroom.Net;
using Mailroom.Sieve.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Sieve.Tests.ManageSieve;

/// <summary>
/// ManageSieve under the hardening every protocol shares: the dialogue before login has an absolute deadline
/// (ManageSieve:LoginTimeout), and the listener draws from its own connection pool (Net:Pools:ManageSieve).
/// </summary>
public sealed class DeadlineAndPoolTests
{
    [Fact]
    public async Task CommandsBeforeLoginDoNotExtendTheLoginTimeout()
    {
        var time = new FakeTimeProvider();
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using ManageSieveClient client = await server.ConnectAsync();

        await CommandsForFiftySecondsThenTheLoginDeadlineEndsTheConnectionAsync(client, time);
    }

    [Fact]
    public async Task AClientTricklingBytesBeforeLoginIsCutAtTheLoginTimeout()
    {
        var time = new FakeTimeProvider();
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using ManageSieveClient client = await server.ConnectAsync();
        Task<List<string>> reply = client.ReadResponseAsync();

        for (int i = 0; i < 5; i++)
        {
            await client.SendAsync("N");
            await Task.Delay(20, TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(reply.IsCompleted);
        await client.SendAsync("O");
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["BYE \"Disconnected for inactivity.\""], await reply);
    }

    [Fact]
    public async Task AfterLoginOnlyTheIdleTimeoutApplies()
    {
        var time = new FakeTimeProvider();
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);

        for (int i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(50));
            Assert.StartsWith("OK", (await client.CommandAsync("NOOP"))[^1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnauthenticatePutsTheLoginDeadlineBackInForceFromThatMoment()
    {
        var time = new FakeTimeProvider();
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(o => o.LoginTimeout = TimeSpan.FromSeconds(60), time: time);
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);
        time.Advance(TimeSpan.FromSeconds(50));
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(["OK \"Unauthenticate completed.\""], await client.CommandAsync("UNAUTHENTICATE"));

        // 50 s after UNAUTHENTICATE (110 s after connecting) the connection is alive: the deadline counts from then.
        await CommandsForFiftySecondsThenTheLoginDeadlineEndsTheConnectionAsync(client, time);
    }

    [Fact]
    public async Task TheManageSievePoolHasItsOwnPerClientLimit()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(configureNet: o =>
        {
            o.ConnectionLimitExemptions.Clear();
            o.MaxConnectionsPerIp = 100;
            o.Pools.ManageSieve.MaxConnectionsPerIp = 1;
        });
        await using ManageSieveClient first = await server.ConnectAsync();

        await using ManageSieveClient second = await server.ConnectAsync(readGreeting: false);

        Assert.Equal(["BYE (TRYLATER) \"Too many connections from 127.0.0.1.\""], await second.ReadResponseAsync());
        Assert.Equal((1, 0), (server.Host.ConnectionCountOf(ListenerClass.ManageSieve), server.Host.ConnectionCountOf(ListenerClass.Imap)));
        Assert.StartsWith("OK", (await first.CommandAsync("NOOP"))[^1], StringComparison.Ordinal);
    }

    /// <summary>With a 60 s login timeout: NOOPs 25 s and 50 s in are answered; at 60 s the connection ends.</summary>
    private static async Task CommandsForFiftySecondsThenTheLoginDeadlineEndsTheConnectionAsync(ManageSieveClient client, FakeTimeProvider time)
    {
        for (int i = 0; i < 2; i++)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            Assert.StartsWith("OK", (await client.CommandAsync("NOOP"))[^1], StringComparison.Ordinal);
        }

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["BYE \"Disconnected for inactivity.\""], await client.ReadResponseAsync());
        Assert.Null(await client.ReadLineAsync());
    }
}
