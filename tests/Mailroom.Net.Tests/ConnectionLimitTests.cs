using Mailroom.Net.Tests.Support;

namespace Mailroom.Net.Tests;

public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task ConnectionOverThePerAddressLimitGetsTheRejection()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, configure: o => o.MaxConnectionsPerIp = 2);
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        Assert.Equal("220 echo ready", await first.ReadLineAsync());
        Assert.Equal("220 echo ready", await second.ReadLineAsync());

        await using var third = await server.ConnectAsync();

        Assert.Equal("421 too many connections (TooManyConnectionsFromAddress) from 127.0.0.1", await third.ReadLineAsync());
        Assert.Null(await third.ReadLineAsync());
        Assert.Equal(2, protocol.Connected);
    }

    [Fact]
    public async Task ConnectionOverTheTotalLimitGetsTheRejection()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, configure: o => o.MaxConnections = 1);
        await using var first = await server.ConnectAsync();
        Assert.Equal("220 echo ready", await first.ReadLineAsync());

        await using var second = await server.ConnectAsync();

        Assert.Equal("421 too many connections (TooManyConnections) from 127.0.0.1", await second.ReadLineAsync());
    }

    [Fact]
    public async Task SlotIsFreedWhenAConnectionCloses()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, configure: o => o.MaxConnections = 1);
        await using (var first = await server.ConnectAsync())
        {
            await first.ReadLineAsync();
            await first.SendAsync("QUIT\r\n");
            Assert.Equal("221 bye", await first.ReadLineAsync());
            Assert.Null(await first.ReadLineAsync());
        }

        for (var i = 0; i < 100 && server.Host.ConnectionCount > 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await using var second = await server.ConnectAsync();
        Assert.Equal("220 echo ready", await second.ReadLineAsync());
    }

    [Fact]
    public async Task ImplicitTlsConnectionOverTheLimitIsClosedWithoutAReply()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, implicitTls: true, o => o.MaxConnectionsPerIp = 1);
        await using var first = await server.ConnectAsync();
        await first.StartTlsAsync();
        Assert.Equal("220 echo ready", await first.ReadLineAsync());

        await using var second = await server.ConnectAsync();

        Assert.Null(await second.ReadLineAsync());
        Assert.Equal(1, protocol.Connected);
    }
}
