using System.Net;
using Mailroom.Net.Tests.Support;

namespace Mailroom.Net.Tests;

public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task ConnectionOverThePerAddressLimitGetsTheRejection()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, configure: o => LimitPerIp(o, perIp: 2));
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExactlyTheLimitFitsAndOnlyTheConnectionPastItIsRefused(bool perIpLimit)
    {
        const int Limit = 5;
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, configure: o =>
        {
            if (perIpLimit)
            {
                LimitPerIp(o, perIp: Limit);
            }
            else
            {
                o.MaxConnections = Limit;
            }
        });
        var clients = new List<LineClient>();
        try
        {
            for (int i = 0; i < Limit; i++)
            {
                clients.Add(await server.ConnectAsync());
                Assert.Equal("220 echo ready", await clients[i].ReadLineAsync());
            }

            await using var extra = await server.ConnectAsync();
            Assert.StartsWith("421 too many connections", await extra.ReadLineAsync());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AClientThatReconnectsOnReadingTheGoodbyeFindsItsSlotFree()
    {
        // smtp-source -s 50 against a limit of 50: each session QUITs and reconnects at once. The slot of the session
        // that said goodbye must be free by the time the client reads the goodbye, with no wait in between.
        const int Limit = 4;
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, configure: o => LimitPerIp(o, perIp: Limit));
        var clients = new LineClient[Limit];
        for (int i = 0; i < Limit; i++)
        {
            clients[i] = await server.ConnectAsync();
            Assert.Equal("220 echo ready", await clients[i].ReadLineAsync());
        }

        for (int round = 0; round < 40; round++)
        {
            int i = round % Limit;
            await clients[i].SendAsync("QUIT\r\n");
            Assert.Equal("221 bye", await clients[i].ReadLineAsync());
            await clients[i].DisposeAsync();

            clients[i] = await server.ConnectAsync();
            Assert.Equal("220 echo ready", await clients[i].ReadLineAsync());
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
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

        Assert.Equal(0, server.Host.ConnectionCount);
        await using var second = await server.ConnectAsync();
        Assert.Equal("220 echo ready", await second.ReadLineAsync());
    }

    [Fact]
    public async Task AFloodOfOneListenerClassDoesNotRefuseAnother()
    {
        var mta = new EchoProtocol(listenerClass: ListenerClass.Mta);
        var imap = new EchoProtocol(listenerClass: ListenerClass.Imap);
        await using var server = await TestServer.StartManyAsync(
            o => o.MaxConnections = 2,
            [("smtp", mta, false), ("imap", imap, false)]);
        await using var flood1 = await server.ConnectAsync("smtp");
        await using var flood2 = await server.ConnectAsync("smtp");
        Assert.Equal("220 echo ready", await flood1.ReadLineAsync());
        Assert.Equal("220 echo ready", await flood2.ReadLineAsync());
        await using var refused = await server.ConnectAsync("smtp");
        Assert.StartsWith("421 too many connections (TooManyConnections)", await refused.ReadLineAsync());

        await using var reader = await server.ConnectAsync("imap");

        Assert.Equal("220 echo ready", await reader.ReadLineAsync());
        Assert.Equal(2, server.Host.ConnectionCountOf(ListenerClass.Mta));
        Assert.Equal(1, server.Host.ConnectionCountOf(ListenerClass.Imap));
    }

    [Fact]
    public async Task APoolOverrideSetsOneClassApart()
    {
        var imap = new EchoProtocol(listenerClass: ListenerClass.Imap);
        await using var server = await TestServer.StartAsync(imap, configure: o =>
        {
            LimitPerIp(o, perIp: 1);
            o.Pools.Imap.MaxConnectionsPerIp = 2;
        });
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        Assert.Equal("220 echo ready", await first.ReadLineAsync());
        Assert.Equal("220 echo ready", await second.ReadLineAsync());

        await using var third = await server.ConnectAsync();

        Assert.StartsWith("421 too many connections (TooManyConnectionsFromAddress)", await third.ReadLineAsync());
    }

    [Fact]
    public async Task LoopbackIsExemptFromThePerAddressLimitByDefault()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, configure: o => o.MaxConnectionsPerIp = 1);
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        await using var third = await server.ConnectAsync();

        Assert.Equal("220 echo ready", await first.ReadLineAsync());
        Assert.Equal("220 echo ready", await second.ReadLineAsync());
        Assert.Equal("220 echo ready", await third.ReadLineAsync());
    }

    [Fact]
    public async Task ClientsTheListenerTrustsAreExemptFromThePerAddressLimitButNotFromTheTotal()
    {
        var protocol = new EchoProtocol { Trusted = IPAddress.IsLoopback };
        await using var server = await TestServer.StartAsync(protocol, configure: o =>
        {
            LimitPerIp(o, perIp: 1);
            o.MaxConnections = 2;
        });
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        Assert.Equal("220 echo ready", await first.ReadLineAsync());
        Assert.Equal("220 echo ready", await second.ReadLineAsync());

        await using var third = await server.ConnectAsync();

        Assert.StartsWith("421 too many connections (TooManyConnections)", await third.ReadLineAsync());
    }

    [Fact]
    public async Task ImplicitTlsConnectionOverTheLimitIsClosedWithoutAReply()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, implicitTls: true, o => LimitPerIp(o, perIp: 1));
        await using var first = await server.ConnectAsync();
        await first.StartTlsAsync();
        Assert.Equal("220 echo ready", await first.ReadLineAsync());

        await using var second = await server.ConnectAsync();

        Assert.Null(await second.ReadLineAsync());
        Assert.Equal(1, protocol.Connected);
    }

    /// <summary>A per-IP limit that applies to the loopback test client (the default exempts loopback).</summary>
    private static void LimitPerIp(NetOptions options, int perIp)
    {
        options.MaxConnectionsPerIp = perIp;
        options.ConnectionLimitExemptions.Clear();
    }
}
