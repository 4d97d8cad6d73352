using Mailroom.Net.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Net.Tests;

public sealed class LineSessionTests
{
    [Fact]
    public async Task LineOverLimitIsAnsweredAndSessionContinues()
    {
        var protocol = new EchoProtocol(maxLineLength: 64);
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 echo ready", await client.ReadLineAsync());

        await client.SendAsync(new string('a', 65) + "\r\nhello\r\n");

        Assert.Equal("500 line too long", await client.ReadLineAsync());
        Assert.Equal("250 hello", await client.ReadLineAsync());
        Assert.DoesNotContain(protocol.Executed, line => line.StartsWith('a'));
    }

    [Fact]
    public async Task LineExactlyAtLimitIsAccepted()
    {
        var protocol = new EchoProtocol(maxLineLength: 64);
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();
        var line = new string('b', 64);

        await client.SendAsync(line + "\r\n");

        Assert.Equal("250 " + line, await client.ReadLineAsync());
    }

    [Fact]
    public async Task OverlongLineArrivingInPiecesIsDrainedAndItsTailNeverRuns()
    {
        var protocol = new EchoProtocol(maxLineLength: 16);
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();

        await client.SendAsync(new string('x', 100));
        await client.SendAsync(new string('y', 100));
        await client.SendAsync("EVIL\r\nNEXT\r\n");

        Assert.Equal("500 line too long", await client.ReadLineAsync());
        Assert.Equal("250 NEXT", await client.ReadLineAsync());
        Assert.Equal(["NEXT"], protocol.Executed);
    }

    [Fact]
    public async Task BareLineFeedEndsACommandLine()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();

        await client.SendAsync("hello\nworld\r\n");

        Assert.Equal("250 hello", await client.ReadLineAsync());
        Assert.Equal("250 world", await client.ReadLineAsync());
    }

    [Fact]
    public async Task PipelinedLinesAllGetTheirRepliesInOrder()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();

        await client.SendAsync("one\r\ntwo\r\nthree\r\nQUIT\r\n");

        Assert.Equal("250 one", await client.ReadLineAsync());
        Assert.Equal("250 two", await client.ReadLineAsync());
        Assert.Equal("250 three", await client.ReadLineAsync());
        Assert.Equal("221 bye", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        await protocol.SessionEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal([SessionEnd.ClientQuit], protocol.Ends);
    }

    [Fact]
    public async Task RawReadAfterCommandGetsExactlyTheCountedBytes()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();

        await client.SendAsync("DATA 10\r\nQUIT\r\nab");
        await client.SendAsync("cdNEXT\r\n");

        Assert.Equal("250 got 10 bytes: QUIT", await client.ReadLineAsync());
        Assert.Equal("abcd", await client.ReadLineAsync());
        Assert.Equal("250 NEXT", await client.ReadLineAsync());
        Assert.Equal(["DATA 10", "NEXT"], protocol.Executed);
    }

    [Fact]
    public async Task HandlerExceptionIsLoggedOnceAndTheSessionClosesWithAGenericReply()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();

        await client.SendAsync("BOOM\r\n");

        Assert.Equal("421 internal error", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        await protocol.SessionEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal([SessionEnd.Error], protocol.Ends);
        var errors = server.Logger.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.Single(errors);
        Assert.IsType<InvalidOperationException>(errors[0].Exception);
    }

    [Fact]
    public async Task ClientThatGoesAwayEndsTheSessionAsDisconnected()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol);
        var client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("half a line");

        await client.DisposeAsync();

        await protocol.SessionEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal([SessionEnd.ClientDisconnected], protocol.Ends);
        Assert.Empty(protocol.Executed);
    }

    [Fact]
    public async Task IdleClientIsToldAndDisconnectedWhenTheIdleTimeoutPasses()
    {
        var time = new FakeTimeProvider();
        var protocol = new EchoProtocol(time, idleTimeout: TimeSpan.FromSeconds(30));
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        Assert.Equal("220 echo ready", await client.ReadLineAsync());

        // The timer is armed once the session waits for input; advance until the server speaks (bounded).
        for (var i = 0; i < 100 && client.Available == 0; i++)
        {
            time.Advance(TimeSpan.FromSeconds(31));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal("421 idle timeout", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        await protocol.SessionEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal([SessionEnd.IdleTimeout], protocol.Ends);
    }

    [Fact]
    public async Task ActiveClientIsNotTimedOutWhileTimeStaysWithinTheIdleTimeout()
    {
        var time = new FakeTimeProvider();
        var protocol = new EchoProtocol(time, idleTimeout: TimeSpan.FromSeconds(30));
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();

        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(20));
            await client.SendAsync($"ping{i}\r\n");
            Assert.Equal($"250 ping{i}", await client.ReadLineAsync());
        }

        Assert.Empty(protocol.Ends);
    }
}
