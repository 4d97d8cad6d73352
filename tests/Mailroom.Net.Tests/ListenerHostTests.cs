using System.Net;
using System.Net.Sockets;
using Mailroom.Net.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Net.Tests;

public sealed class ListenerHostTests
{
    [Fact]
    public async Task GracefulShutdownLetsARunningSessionFinish()
    {
        var protocol = new EchoProtocol();
        var server = await TestServer.StartAsync(protocol, configure: o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        try
        {
            await using var client = await server.ConnectAsync();
            await client.ReadLineAsync();
            await client.SendAsync("SLOW\r\n");
            await protocol.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            var stopping = server.Host.StopAsync(CancellationToken.None);
            Assert.False(stopping.IsCompleted);
            protocol.SlowGate.SetResult();

            Assert.Equal("250 slow done", await client.ReadLineAsync());
            Assert.Equal("421 shutting down", await client.ReadLineAsync());
            Assert.Null(await client.ReadLineAsync());
            await stopping.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal([SessionEnd.Shutdown], protocol.Ends);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShutdownTellsAWaitingClientAndStopsAccepting()
    {
        var protocol = new EchoProtocol();
        var server = await TestServer.StartAsync(protocol);
        var endPoint = server.EndPoint;
        try
        {
            await using var client = await server.ConnectAsync();
            await client.ReadLineAsync();

            await server.Host.StopAsync(CancellationToken.None);

            Assert.Equal("421 shutting down", await client.ReadLineAsync());
            await Assert.ThrowsAsync<SocketException>(() => LineClient.ConnectAsync(endPoint));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task SessionThatOutlivesTheShutdownTimeoutIsAborted()
    {
        var protocol = new EchoProtocol();
        var server = await TestServer.StartAsync(protocol, configure: o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(100));
        try
        {
            await using var client = await server.ConnectAsync();
            await client.ReadLineAsync();
            await client.SendAsync("SLOW\r\n");
            await protocol.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            await server.Host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            Assert.Null(await client.ReadLineAsync());
            Assert.Contains(server.Logger.Entries, e => e.Id.Id == 106);
            Assert.Equal([SessionEnd.Shutdown], protocol.Ends);
        }
        finally
        {
            protocol.SlowGate.TrySetResult();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task BindBeforeStartHoldsThePortAndStartServesAClientThatConnectedInBetween()
    {
        // serve started as root binds, drops its privileges, then starts: a client may connect in between.
        var protocol = new EchoProtocol();
        var options = Options.Create(new NetOptions());
        var directory = Directory.CreateTempSubdirectory("mailroom-bind-");
        options.Value.Tls.TlsDirectory = Path.Combine(directory.FullName, "tls");
        var certificates = new TlsCertificateProvider(options, TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
        var binding = new ListenerBinding("early", [new IPEndPoint(IPAddress.Loopback, 0)], false, protocol);
        using var host = new MailListenerHost([binding], certificates, options, TimeProvider.System, NullLogger<MailListenerHost>.Instance);
        try
        {
            host.Bind();
            IPEndPoint bound = Assert.Single(host.GetBoundEndPoints("early"));
            Assert.True(File.Exists(Path.Combine(directory.FullName, "tls", "key.pem")), "the key is made (and read) at bind time");
            await using var early = await LineClient.ConnectAsync(bound);
            host.Bind();

            await host.StartAsync(CancellationToken.None);

            Assert.Equal(bound, Assert.Single(host.GetBoundEndPoints("early")));
            Assert.Equal("220 echo ready", await early.ReadLineAsync());
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AnyAddressBindsIPv4AndIPv6SideBySide()
    {
        if (!Socket.OSSupportsIPv6)
        {
            Assert.Skip("IPv6 is not available on this machine.");
        }

        // Binding [::] and 0.0.0.0 on the same port only works when the v6 socket is IPV6_V6ONLY.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        probe.Dispose();
        var protocol = new EchoProtocol();
        var options = Options.Create(new NetOptions());
        var directory = Directory.CreateTempSubdirectory("mailroom-any-");
        options.Value.Tls.TlsDirectory = Path.Combine(directory.FullName, "tls");
        var certificates = new TlsCertificateProvider(options, TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
        var binding = new ListenerBinding("any", [new IPEndPoint(IPAddress.Any, port), new IPEndPoint(IPAddress.IPv6Any, port)], false, protocol);
        using var host = new MailListenerHost([binding], certificates, options, TimeProvider.System, NullLogger<MailListenerHost>.Instance);
        try
        {
            await host.StartAsync(CancellationToken.None);

            var bound = host.GetBoundEndPoints("any");
            Assert.Equal(2, bound.Count);
            Assert.All(bound, e => Assert.Equal(port, e.Port));
            await using var v4 = await LineClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            await using var v6 = await LineClient.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, port));
            Assert.Equal("220 echo ready", await v4.ReadLineAsync());
            Assert.Equal("220 echo ready", await v6.ReadLineAsync());
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PrivilegedPortWithoutPermissionFailsStartUpWithTheFix()
    {
        var directory = Directory.CreateTempSubdirectory("mailroom-priv-");
        try
        {
            var options = Options.Create(new NetOptions());
            options.Value.Tls.TlsDirectory = Path.Combine(directory.FullName, "tls");
            var certificates = new TlsCertificateProvider(options, TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
            var binding = new ListenerBinding("smtp", [new IPEndPoint(IPAddress.Any, 25)], false, new EchoProtocol()) { PortSettingKey = "Smtp:Port" };
            using var host = new MailListenerHost([binding], certificates, options, TimeProvider.System, NullLogger<MailListenerHost>.Instance)
            {
                BindSocket = _ => throw new SocketException((int)SocketError.AccessDenied),
            };

            var error = await Assert.ThrowsAsync<NetStartupException>(() => host.StartAsync(CancellationToken.None));

            Assert.Equal(
                "cannot listen on 0.0.0.0:25 (smtp): permission denied; run as root, grant CAP_NET_BIND_SERVICE "
                + "(setcap 'cap_net_bind_service=+ep' $(which mailroom)), or set Smtp:Port to a port above 1023",
                error.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PortAlreadyInUseFailsStartUpAndReleasesEarlierBindings()
    {
        var protocol = new EchoProtocol();
        await using var first = await TestServer.StartAsync(protocol);
        var taken = first.EndPoint;
        var directory = Directory.CreateTempSubdirectory("mailroom-inuse-");
        try
        {
            var options = Options.Create(new NetOptions());
            options.Value.Tls.TlsDirectory = Path.Combine(directory.FullName, "tls");
            var certificates = new TlsCertificateProvider(options, TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
            var free = new ListenerBinding("free", [new IPEndPoint(IPAddress.Loopback, 0)], false, protocol);
            var busy = new ListenerBinding("busy", [taken], false, protocol);
            using var host = new MailListenerHost([free, busy], certificates, options, TimeProvider.System, NullLogger<MailListenerHost>.Instance);

            var error = await Assert.ThrowsAsync<NetStartupException>(() => host.StartAsync(CancellationToken.None));

            Assert.Equal($"cannot listen on {taken} (busy): address already in use; stop the other server on that port or configure another port", error.Message);
            Assert.Empty(host.GetBoundEndPoints("free"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
