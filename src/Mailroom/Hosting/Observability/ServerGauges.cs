using System.Diagnostics.Metrics;
using System.Reflection;
using Mailroom.Core.Telemetry;
using Mailroom.Net;
using Mailroom.Queue.Admin;

namespace Mailroom.Hosting.Observability;

/// <summary>
/// The values read at each scrape rather than counted: queue size and oldest age by state, free space where the data
/// lives, the certificate's expiry, uptime and version. On the same meter name as <see cref="MailroomMetrics"/>.
/// </summary>
internal sealed class ServerGauges : IDisposable
{
    private readonly Meter _meter = new(MailroomMetrics.MeterName);

    public ServerGauges(ServerFacts facts, TlsCertificateProvider certificates, TimeProvider time)
    {
        _meter.CreateObservableGauge("mailroom.queue.messages", () => Queue(facts, time).Select(s =>
            new Measurement<long>(s.Messages, MailroomMetrics.Tag("state", s.State))), "{message}", "Messages in the queue, by state");
        _meter.CreateObservableGauge("mailroom.queue.oldest_age", () => Queue(facts, time).Select(s =>
            new Measurement<double>(s.OldestAge.TotalSeconds, MailroomMetrics.Tag("state", s.State))), "s", "Age of the oldest message in each queue state (0 when empty)");
        _meter.CreateObservableGauge("mailroom.disk.free", () => facts.StorageLocations().Select(place =>
            new Measurement<long>(FreeBytes(place.Path), MailroomMetrics.Tag("path", place.Name))), "By", "Free bytes on the file systems of the queue, the mail store and the data directory");
        _meter.CreateObservableGauge("mailroom.tls.certificate.not_after", () => Expiry(certificates), "s", "When the served TLS certificate expires (Unix time)");
        _meter.CreateObservableGauge("mailroom.uptime", () => (time.GetUtcNow() - facts.Started).TotalSeconds, "s", "Seconds since the server started");
        _meter.CreateObservableGauge("mailroom.build.info", () => new Measurement<long>(1, MailroomMetrics.Tag("version", facts.Version)), null, "Always 1; the version in its label");
    }

    public void Dispose() => _meter.Dispose();

    // One directory walk per scrape serves both queue gauges: the exporter collects them back to back.
    private (DateTimeOffset At, IReadOnlyList<QueueStateStatistics> Value)? _queue;

    private IReadOnlyList<QueueStateStatistics> Queue(ServerFacts facts, TimeProvider time)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (_queue is { } cached && now - cached.At < TimeSpan.FromSeconds(1))
        {
            return cached.Value;
        }

        IReadOnlyList<QueueStateStatistics> value = QueueStatistics.Read(facts.QueueDirectory, now);
        _queue = (now, value);
        return value;
    }

    internal static long FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    private static IEnumerable<Measurement<double>> Expiry(TlsCertificateProvider certificates)
    {
        double? notAfter = null;
        try
        {
            notAfter = new DateTimeOffset(certificates.Current.NotAfter.ToUniversalTime()).ToUnixTimeSeconds();
        }
        catch (NetStartupException)
        {
            // No certificate to report (the files went away); the gauge is absent rather than wrong.
        }

        return notAfter is { } value ? [new Measurement<double>(value)] : [];
    }

    internal static string ProgramVersion =>
        typeof(ServerGauges).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";
}
