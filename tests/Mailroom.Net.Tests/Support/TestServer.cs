using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Net.Tests.Support;

/// <summary>A started <see cref="MailListenerHost"/> on 127.0.0.1:0 with its own temporary data directory.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(DirectoryInfo directory, NetOptions options, MailListenerHost host, TlsCertificateProvider certificates, ListLogger<MailListenerHost> logger)
    {
        Directory = directory;
        Options = options;
        Host = host;
        Certificates = certificates;
        Logger = logger;
    }

    public DirectoryInfo Directory { get; }

    public NetOptions Options { get; }

    public MailListenerHost Host { get; }

    public TlsCertificateProvider Certificates { get; }

    public ListLogger<MailListenerHost> Logger { get; }

    public IPEndPoint EndPoint => Host.GetBoundEndPoints("test")[0];

    public static Task<TestServer> StartAsync(IConnectionHandler handler, bool implicitTls = false, Action<NetOptions>? configure = null, global::Mailroom.Net.Trace.SessionTracer? tracer = null) =>
        StartManyAsync(configure, [("test", handler, implicitTls)], tracer);

    /// <summary>Several listeners on one host (each on 127.0.0.1:0), named as given.</summary>
    public static async Task<TestServer> StartManyAsync(Action<NetOptions>? configure, IReadOnlyList<(string Name, IConnectionHandler Handler, bool ImplicitTls)> listeners, global::Mailroom.Net.Trace.SessionTracer? tracer = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("mailroom-net-");
        var options = new NetOptions();
        options.Tls.TlsDirectory = Path.Combine(directory.FullName, "tls");
        options.Tls.HostName = "mx.test.example";
        configure?.Invoke(options);
        var certificates = new TlsCertificateProvider(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
        var logger = new ListLogger<MailListenerHost>();
        var bindings = listeners.Select(l => new ListenerBinding(l.Name, [new IPEndPoint(IPAddress.Loopback, 0)], l.ImplicitTls, l.Handler));
        var host = new MailListenerHost(bindings, certificates, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, logger, tracer);
        await host.StartAsync(CancellationToken.None);
        return new TestServer(directory, options, host, certificates, logger);
    }

    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(EndPoint);

    public Task<LineClient> ConnectAsync(string listener) => LineClient.ConnectAsync(Host.GetBoundEndPoints(listener)[0]);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        Directory.Delete(recursive: true);
    }
}
