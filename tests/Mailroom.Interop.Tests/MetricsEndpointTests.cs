using System.Net;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>
/// The metrics and health endpoint (<c>Metrics:Listen</c>) as Prometheus and a load balancer see it: scraped over HTTP,
/// checked by Prometheus's own <c>promtool</c>.
/// </summary>
public sealed class MetricsEndpointTests(SharedServer shared)
{
    private readonly MailroomServer _server = shared.Server;

    [Fact]
    public async Task TheScrapeIsPrometheusTextThatPromtoolAccepts()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string tag = SharedServer.NewTag("metrics");
        await SmtpDelivery.SendAsync(_server, SharedServer.Alice, SharedServer.Samt, tag, "counted", ct);
        await Maildir.WaitForMessageAsync(_server.DataDirectory, SharedServer.Samt, tag);

        (HttpStatusCode status, string text) = await GetAsync("/metrics", ct);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches(@"(?m)^mailroom_messages_received_total\{.*\} [1-9]", text);
        Assert.Matches(@"(?m)^mailroom_messages_delivered_total\{.*\} [1-9]", text);
        Assert.Matches(@"(?m)^mailroom_connections_total\{.*service=""smtp"".*\} [1-9]", text);
        Assert.Matches(@"(?m)^mailroom_queue_messages\{.*state=""deferred"".*\} \d", text);
        Assert.Matches(@"(?m)^mailroom_queue_oldest_age_seconds\{.*state=""incoming"".*\} ", text);
        Assert.Matches(@"(?m)^mailroom_disk_free_bytes\{.*path=""queue"".*\} [1-9]", text);
        Assert.Matches(@"(?m)^mailroom_delivery_duration_seconds_bucket\{", text);
        Assert.Matches(@"(?m)^mailroom_tls_certificate_not_after_seconds(\{.*\})? [1-9]", text);
        ProcessResult promtool = await ExternalTool.RunAsync("promtool", ["check", "metrics"], text);
        Assert.True(promtool.ExitCode == 0, $"promtool check metrics failed: {promtool}");
    }

    [Fact]
    public async Task LivenessAnswersAliveAndReadinessNamesWhatItChecked()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;

        (HttpStatusCode liveStatus, string live) = await GetAsync("/health/live", ct);
        (HttpStatusCode readyStatus, string ready) = await GetAsync("/health/ready", ct);

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("alive\n", live);
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("ready: listeners accepting, directory answering, queue writable, free space above the floor\n", ready);
    }

    [Fact]
    public async Task TheControlPathsAreNotServedOverTcp()
    {
        (HttpStatusCode status, _) = await GetAsync("/control/status", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    private Task<(HttpStatusCode, string)> GetAsync(string path, CancellationToken ct) => Scrape.GetAsync(_server.MetricsPort, path, ct);
}
