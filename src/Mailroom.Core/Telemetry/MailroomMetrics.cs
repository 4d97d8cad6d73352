using System.Diagnostics.Metrics;

namespace Mailroom.Core.Telemetry;

/// <summary>
/// Every counter and histogram the components record, on one <see cref="Meter"/> the host exports as Prometheus text
/// (<c>Metrics:Listen</c>). Instruments are <see cref="System.Diagnostics.Metrics"/> types, so a component records a
/// value with one call and knows nothing of the exporter; the service label is the listener's name (<c>smtp</c>,
/// <c>submission</c>, <c>imaps</c>, …), so a new listener is counted without a line here, and a new counter is one
/// line below. Names follow OpenTelemetry's conventions; the exporter turns <c>mailroom.connections</c> with unit
/// <c>{connection}</c> into <c>mailroom_connections_total</c> and unit <c>s</c> into a <c>_seconds</c> suffix.
/// Gauges that are read rather than counted (queue size, free space, certificate expiry) are observed by the host.
/// </summary>
public static class MailroomMetrics
{
    /// <summary>The meter's name; the exporter listens to it.</summary>
    public const string MeterName = "Mailroom";

    /// <summary>Bucket bounds of the delivery latency histogram, in seconds: a local delivery takes milliseconds, a
    /// deferred remote one hours (Postfix's backoff reaches 4000 s; the queue lifetime is 5 days).</summary>
    private static readonly double[] DeliveryBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400, 432000];

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Connections by <c>service</c> and <c>result</c> (<c>accepted</c>, or the limit that refused it).</summary>
    public static readonly Counter<long> Connections = Meter.CreateCounter<long>("mailroom.connections", "{connection}", "Client connections by service and result");

    /// <summary>Sessions running now, by <c>service</c>.</summary>
    public static readonly UpDownCounter<long> Sessions = Meter.CreateUpDownCounter<long>("mailroom.sessions", "{session}", "Client sessions running now, by service");

    /// <summary>TLS handshakes (implicit and STARTTLS) by <c>service</c> and <c>result</c> (<c>ok</c>, <c>failed</c>).</summary>
    public static readonly Counter<long> TlsHandshakes = Meter.CreateCounter<long>("mailroom.tls.handshakes", "{handshake}", "TLS handshakes by service and result");

    /// <summary>Messages acknowledged with 250 after DATA/BDAT, by <c>service</c>.</summary>
    public static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>("mailroom.messages.received", "{message}", "Messages accepted into the queue, by service");

    /// <summary>Refused MAIL, RCPT and message content, by <c>service</c>, <c>stage</c> and <c>reason</c>.</summary>
    public static readonly Counter<long> MessagesRejected = Meter.CreateCounter<long>("mailroom.messages.rejected", "{rejection}", "Senders, recipients and messages refused, by service, stage and reason");

    /// <summary>Recipients delivered, by <c>transport</c> (<c>local</c>, <c>remote</c>).</summary>
    public static readonly Counter<long> MessagesDelivered = Meter.CreateCounter<long>("mailroom.messages.delivered", "{recipient}", "Recipients delivered, by transport");

    /// <summary>Delivery attempts that failed temporarily, by <c>transport</c>.</summary>
    public static readonly Counter<long> MessagesDeferred = Meter.CreateCounter<long>("mailroom.messages.deferred", "{recipient}", "Recipients deferred (temporary failure), by transport");

    /// <summary>Recipients returned to the sender, by <c>transport</c>.</summary>
    public static readonly Counter<long> MessagesBounced = Meter.CreateCounter<long>("mailroom.messages.bounced", "{recipient}", "Recipients bounced (permanent failure), by transport");

    /// <summary>From arrival to final delivery of a recipient, by <c>transport</c>.</summary>
    public static readonly Histogram<double> DeliveryDuration = Meter.CreateHistogram(
        "mailroom.delivery.duration", "s", "Time from arrival to delivery of a recipient, by transport",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryBuckets });

    /// <summary>Failed logins by <c>result</c> (<c>failed</c>, <c>blocked</c>: refused unchecked after too many).</summary>
    public static readonly Counter<long> AuthFailures = Meter.CreateCounter<long>("mailroom.auth.failures", "{attempt}", "Failed logins (all protocols), by result");

    /// <summary>Directory lookups by <c>result</c> (<c>ok</c>, <c>error</c>: the database did not answer).</summary>
    public static readonly Counter<long> DirectoryLookups = Meter.CreateCounter<long>("mailroom.directory.lookups", "{lookup}", "Directory lookups (domains, recipients, passwords, quotas), by result");

    /// <summary>A one-label tag, the shape most recordings take.</summary>
    public static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
