using System.Net;
using Mailroom.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp.Tests.Support;

/// <summary>A real <see cref="MailListenerHost"/> on 127.0.0.1:0 running the SMTP handler with in-test fakes.</summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    public const string Hostname = "mx.example.org";

    private readonly DirectoryInfo _directory;

    private SmtpTestServer(DirectoryInfo directory, MailListenerHost host, SmtpOptions options, FakeSubmitter submitter, FakeDirectory mailDirectory, LogCapture logs)
    {
        _directory = directory;
        Host = host;
        Options = options;
        Submitter = submitter;
        Directory = mailDirectory;
        Logs = logs;
    }

    public MailListenerHost Host { get; }

    public SmtpOptions Options { get; }

    public FakeSubmitter Submitter { get; }

    public FakeDirectory Directory { get; }

    public LogCapture Logs { get; }

    public IPEndPoint EndPoint => Host.GetBoundEndPoints("smtp")[0];

    public static async Task<SmtpTestServer> StartAsync(
        SmtpListenerRole role = SmtpListenerRole.Mta,
        Action<SmtpOptions>? configure = null,
        Action<NetOptions>? configureNet = null,
        TimeProvider? time = null,
        Mailroom.Core.Filtering.IDeliveryFilter? filter = null,
        SmtpAbuseControls? abuse = null,
        Mailroom.Net.Trace.SessionTracer? tracer = null,
        Mailroom.Policy.InboundChecker? policy = null)
    {
        time ??= TimeProvider.System;
        DirectoryInfo directory = System.IO.Directory.CreateTempSubdirectory("mailroom-smtp-");
        var netOptions = new NetOptions();
        netOptions.Tls.TlsDirectory = Path.Combine(directory.FullName, "tls");
        netOptions.Tls.HostName = Hostname;
        configureNet?.Invoke(netOptions);
        CertificateCache.Seed(netOptions.Tls.TlsDirectory);
        var options = new SmtpOptions { Hostname = Hostname };
        configure?.Invoke(options);

        var certificates = new TlsCertificateProvider(Microsoft.Extensions.Options.Options.Create(netOptions), TimeProvider.System, NullLogger<TlsCertificateProvider>.Instance);
        var throttle = new AuthFailureThrottle(Microsoft.Extensions.Options.Options.Create(netOptions), time);
        var submitter = new FakeSubmitter();
        var mailDirectory = new FakeDirectory();
        var logs = new LogCapture();
        var handler = new SmtpConnectionHandler(role, Microsoft.Extensions.Options.Options.Create(options), mailDirectory, submitter, throttle, logs, time, quota: null, policy, outbound: null, filter, abuse);
        var binding = new ListenerBinding("smtp", [new IPEndPoint(IPAddress.Loopback, 0)], role == SmtpListenerRole.Smtps, handler);
        var host = new MailListenerHost([binding], certificates, Microsoft.Extensions.Options.Options.Create(netOptions), TimeProvider.System, NullLogger<MailListenerHost>.Instance, tracer);
        await host.StartAsync(CancellationToken.None);
        CertificateCache.Keep(netOptions.Tls.TlsDirectory);
        return new SmtpTestServer(directory, host, options, submitter, mailDirectory, logs);
    }

    public Task<RawClient> ConnectAsync() => RawClient.ConnectAsync(EndPoint);

    /// <summary>Connects from another loopback address (127.0.0.2 …), a different client to the per-IP limits.</summary>
    public Task<RawClient> ConnectFromAsync(IPAddress source) => RawClient.ConnectAsync(EndPoint, source);

    /// <summary>Waits (bounded) until the session has logged its disconnect line, then returns the smtpd lines.</summary>
    public async Task<IReadOnlyList<string>> SmtpdLinesAfterDisconnectAsync()
    {
        for (int i = 0; i < 3000; i++)
        {
            IReadOnlyList<string> lines = Logs.Lines(Mailroom.Core.MaillogCategories.Smtpd);
            if (lines.Any(l => l.StartsWith("disconnect from ", StringComparison.Ordinal)))
            {
                return lines;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return Logs.Lines(Mailroom.Core.MaillogCategories.Smtpd);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        _directory.Delete(recursive: true);
    }
}
