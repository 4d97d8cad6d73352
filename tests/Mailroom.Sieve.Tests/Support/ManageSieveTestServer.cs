using System.Net;
using Mailroom.Net;
using Mailroom.Sieve.ManageSieve;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Sieve.Tests.Support;

/// <summary>
/// A real <see cref="MailListenerHost"/> on 127.0.0.1:0 running the ManageSieve handler over a fake directory and a
/// script store in a temporary mail root.
/// </summary>
internal sealed class ManageSieveTestServer : IAsyncDisposable
{
    public const string Charlie = "charlie@alpha.example.org";
    public const string CharliePassword = "charlie";

    private ManageSieveTestServer(TemporaryMailRoot root, MailListenerHost host, LogCapture logs)
    {
        Root = root;
        Host = host;
        Logs = logs;
    }

    public TemporaryMailRoot Root { get; }

    public MailListenerHost Host { get; }

    public LogCapture Logs { get; }

    public IPEndPoint EndPoint => Host.GetBoundEndPoints("managesieve")[0];

    public static async Task<ManageSieveTestServer> StartAsync(Action<ManageSieveOptions>? configure = null, SieveOptions? sieve = null,
        TimeProvider? time = null, Action<NetOptions>? configureNet = null, Mailroom.Net.Trace.SessionTracer? tracer = null)
    {
        time ??= TimeProvider.System;
        var root = new TemporaryMailRoot(sieve);
        var netOptions = new NetOptions();
        configureNet?.Invoke(netOptions);
        netOptions.Tls.TlsDirectory = Path.Combine(root.Root, "tls");
        netOptions.Tls.HostName = "localhost";
        CertificateCache.Seed(netOptions.Tls.TlsDirectory);
        var options = new ManageSieveOptions();
        configure?.Invoke(options);
        var logs = new LogCapture();
        var certificates = new TlsCertificateProvider(Options.Create(netOptions), TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
        var handler = new ManageSieveConnectionHandler(Options.Create(options), Options.Create(root.Options), root.Scripts, new FakeLoginDirectory(),
            new AuthFailureThrottle(Options.Create(netOptions), time), logs, time);
        var host = new MailListenerHost([new ListenerBinding("managesieve", [new IPEndPoint(IPAddress.Loopback, 0)], false, handler)],
            certificates, Options.Create(netOptions), TimeProvider.System, NullLogger<MailListenerHost>.Instance, tracer);
        await host.StartAsync(CancellationToken.None);
        CertificateCache.Keep(netOptions.Tls.TlsDirectory);
        return new ManageSieveTestServer(root, host, logs);
    }

    public async Task<ManageSieveClient> ConnectAsync(bool readGreeting = true)
    {
        ManageSieveClient client = await ManageSieveClient.ConnectAsync(EndPoint);
        if (readGreeting)
        {
            await client.ReadResponseAsync();
        }

        return client;
    }

    /// <summary>Waits (bounded) until a disconnect line is logged, then returns the ManageSieve lines.</summary>
    public async Task<IReadOnlyList<string>> LinesAfterDisconnectAsync()
    {
        for (int i = 0; i < 3000; i++)
        {
            IReadOnlyList<string> lines = Logs.Lines(Core.MaillogCategories.ManageSieve);
            if (lines.Any(l => l.Contains("Disconnected", StringComparison.Ordinal)))
            {
                return lines;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return Logs.Lines(Core.MaillogCategories.ManageSieve);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        Root.Dispose();
    }
}
