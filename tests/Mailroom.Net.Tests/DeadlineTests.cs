using Mailroom.Net.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Net.Tests;

/// <summary>Deadlines are absolute: no pattern of reads keeps a session past them (the slowloris class).</summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task AClientTricklingALineOneByteEveryTenSecondsIsCutAtTheLineDeadline()
    {
        var time = new FakeTimeProvider();
        var protocol = new EchoProtocol(time, idleTimeout: TimeSpan.FromSeconds(30));
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 echo ready", await client.ReadLineAsync());

        // Under a per-read timeout each byte would restart the 30 s and the session would live forever; bounded here
        // to 20 bytes (200 s). The line's deadline cuts it after 30 s (a few rounds later if the server armed it late).
        int rounds = 0;
        for (; rounds < 20 && client.Available == 0; rounds++)
        {
            await client.SendAsync("x");
            await Settle();
            time.Advance(TimeSpan.FromSeconds(10));
            await Settle();
        }

        Assert.InRange(rounds, 3, 5);
        // 30 s after the wait for this line began, however many bytes came meanwhile.
        Assert.Equal("421 idle timeout", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        Assert.Empty(protocol.Executed);
    }

    [Fact]
    public async Task EachCompleteLineGetsTheWholeLineDeadline()
    {
        var time = new FakeTimeProvider();
        var protocol = new EchoProtocol(time, idleTimeout: TimeSpan.FromSeconds(30));
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();

        for (int i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(29));
            await client.SendAsync($"ping{i}\r\n");
            Assert.Equal($"250 ping{i}", await client.ReadLineAsync());
        }

        Assert.Empty(protocol.Ends);
    }

    [Fact]
    public async Task TheLoginDeadlineEndsASessionThatKeepsSendingCommandsWithoutLoggingIn()
    {
        var time = new FakeTimeProvider();
        var protocol = new EchoProtocol(time, idleTimeout: TimeSpan.FromSeconds(30), loginTimeout: TimeSpan.FromSeconds(60));
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();

        for (int i = 0; i < 2; i++)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            await client.SendAsync("NOOP\r\n");
            Assert.Equal("250 NOOP", await client.ReadLineAsync());
        }

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("421 idle timeout", await client.ReadLineAsync());
        await protocol.SessionEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal([SessionEnd.IdleTimeout], protocol.Ends);
    }

    [Fact]
    public async Task TheLoginDeadlinePassingDuringAStartTlsHandshakeEndsTheSessionQuietly()
    {
        var time = new FakeTimeProvider();
        var protocol = new EchoProtocol(time, idleTimeout: TimeSpan.FromSeconds(30), loginTimeout: TimeSpan.FromSeconds(60));
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("STARTTLS\r\n");
        Assert.Equal("220 ready to start TLS", await client.ReadLineAsync());

        // The client never sends its ClientHello; the login deadline passes within the handshake.
        time.Advance(TimeSpan.FromSeconds(60));

        await protocol.SessionEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal([SessionEnd.TlsFailed], protocol.Ends);
        Assert.DoesNotContain(server.Logger.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task AfterLoginOnlyTheCommandDeadlineApplies()
    {
        var time = new FakeTimeProvider();
        var protocol = new EchoProtocol(time, idleTimeout: TimeSpan.FromSeconds(30), loginTimeout: TimeSpan.FromSeconds(60));
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("LOGIN\r\n");
        Assert.Equal("250 logged in", await client.ReadLineAsync());

        for (int i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            await client.SendAsync($"ping{i}\r\n");
            Assert.Equal($"250 ping{i}", await client.ReadLineAsync());
        }

        Assert.Empty(protocol.Ends);
    }

    [Fact]
    public async Task ATransferBelowTheMinimumRateIsCut()
    {
        var time = new FakeTimeProvider();
        var protocol = new EchoProtocol(time, idleTimeout: TimeSpan.FromSeconds(30), minDataRate: 1);
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("TRICKLE 100\r\n");

        // One byte every 10 s at 1 byte/s: each byte earns 1 s, so the 30 s deadline comes at 33 s.
        for (int i = 1; i <= 3; i++)
        {
            await client.SendAsync("x");
            await WaitForAsync(() => protocol.Transferred == i);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        await Settle();
        Assert.Equal(0, client.Available);
        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("421 idle timeout", await client.ReadLineAsync());
    }

    [Fact]
    public async Task ATransferAtTheMinimumRateIsNotCut()
    {
        var time = new FakeTimeProvider();
        var protocol = new EchoProtocol(time, idleTimeout: TimeSpan.FromSeconds(30), minDataRate: 1);
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("TRICKLE 100\r\n");

        // Ten bytes every 10 s keep the pace; the transfer runs for 100 s, past the 30 s it starts with.
        for (int i = 1; i <= 10; i++)
        {
            await client.SendAsync("0123456789");
            await WaitForAsync(() => protocol.Transferred == i * 10);
            if (i < 10)
            {
                time.Advance(TimeSpan.FromSeconds(10));
            }
        }

        Assert.Equal("250 trickled 100", await client.ReadLineAsync());
        Assert.Empty(protocol.Ends);
    }

    /// <summary>Gives the server a moment of real time to take what was sent (only before asserting that nothing came).</summary>
    private static Task Settle() => Task.Delay(50, TestContext.Current.CancellationToken);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
