using System.Net;
using System.Text.Json;
using Mailroom.Configuration;
using Mailroom.Core.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Mailroom.Hosting.Observability;

/// <summary>
/// Kestrel (from the shared framework) serving <c>/metrics</c> (Prometheus text, OpenTelemetry's exporter over
/// <see cref="MailroomMetrics"/> and <see cref="ServerGauges"/>), <c>/health/live</c> and <c>/health/ready</c> on
/// <c>Metrics:Listen</c>, and the same plus <c>/control/status</c> on the control socket in the data directory, the
/// one <c>mailroom status</c> reads. Control requests are refused on the TCP endpoint: only a process that can enter
/// the data directory (the service user, root) reaches the socket. Started last, after the listeners and the queue.
/// </summary>
internal sealed class ObservabilityServer(
    IServiceProvider services,
    IOptions<MetricsOptions> options,
    ServerFacts facts,
    ILogger<ObservabilityServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;
    private ServerGauges? _gauges;

    /// <summary>The TCP endpoint actually bound (port 0 resolved), or null when <c>Metrics:Listen</c> is empty.</summary>
    public IPEndPoint? BoundEndPoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IPEndPoint? endPoint = ParseListen(options.Value.Listen);
        string socket = facts.ControlSocket;
        // This process holds the data directory's lock, so a socket file left here is a crashed server's.
        File.Delete(socket);

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenUnixSocket(socket);
            if (endPoint is not null)
            {
                kestrel.Listen(endPoint);
            }
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(services.GetRequiredService<ReadinessCheck>());
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mailroom", serviceVersion: facts.Version))
            .WithMetrics(metrics => metrics
                .AddMeter(MailroomMetrics.MeterName)
                // Every scrape sees the values of that moment (the exporter caches for 300 ms by default).
                .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));

        WebApplication app = builder.Build();
        app.Use(RefuseControlOverTcp);
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealthAsync });
        StatusReporter status = services.GetRequiredService<StatusReporter>();
        app.MapGet("/control/status", () => Results.Text(JsonSerializer.Serialize(status.Build(), StatusJsonContext.Default.StatusReport), "application/json"));

        _gauges = new ServerGauges(facts, services.GetRequiredService<Net.TlsCertificateProvider>(), services.GetRequiredService<TimeProvider>());
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ConfigurationException($"Metrics:Listen: cannot listen on {options.Value.Listen}: {ex.Message}", ex);
        }

        _app = app;
        if (endPoint is not null)
        {
            BoundEndPoint = BoundTcpEndPoint(app) ?? endPoint;
            status.MetricsEndpoint = BoundEndPoint.ToString();
            ObservabilityLog.Listening(logger, BoundEndPoint);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        File.Delete(facts.ControlSocket);
    }

    public async ValueTask DisposeAsync()
    {
        _gauges?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary><c>host:port</c>, <c>[v6]:port</c>; empty disables. Validated at start-up with the other options.</summary>
    internal static IPEndPoint? ParseListen(string? listen)
    {
        if (string.IsNullOrWhiteSpace(listen))
        {
            return null;
        }

        return IPEndPoint.TryParse(listen.Trim(), out IPEndPoint? endPoint) && endPoint.Port is >= 0 and <= 65535 && listen.Contains(':', StringComparison.Ordinal)
            ? endPoint
            : throw new ConfigurationException($"Metrics:Listen: '{listen}' is not an address and port (e.g. 127.0.0.1:9587 or [::1]:9587; empty disables)");
    }

    private static IPEndPoint? BoundTcpEndPoint(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        foreach (string address in addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) && uri.Scheme == "http" && IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip))
            {
                return new IPEndPoint(ip, uri.Port);
            }
        }

        return null;
    }

    private static Task RefuseControlOverTcp(HttpContext context, RequestDelegate next)
    {
        // A Unix socket connection has no IP address; only it may reach /control.
        if (context.Request.Path.StartsWithSegments("/control", StringComparison.Ordinal) && context.Connection.LocalIpAddress is not null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        string text = report.Entries.Count == 0
            ? "alive\n"
            : string.Concat(report.Entries.Select(e => $"{(e.Value.Status == HealthStatus.Healthy ? "ready" : "not ready")}: {e.Value.Description}\n"));
        return context.Response.WriteAsync(text);
    }
}
