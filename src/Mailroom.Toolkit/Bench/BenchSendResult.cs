using HdrHistogram;

namespace Mailroom.Toolkit.Bench;

/// <summary>Totals of one <c>bench send</c> run. Latencies are recorded in microseconds.</summary>
internal sealed class BenchSendResult
{
    public long Sent { get; set; }

    public long Failed { get; set; }

    public long Connections { get; set; }

    public long FailedConnections { get; set; }

    public long Bytes { get; set; }

    public TimeSpan Elapsed { get; set; }

    public required LongHistogram MessageLatency { get; init; }

    public required LongHistogram ConnectionLatency { get; init; }

    public double MessagesPerSecond => Elapsed.TotalSeconds > 0 ? Sent / Elapsed.TotalSeconds : 0;

    public double MegabytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / 1048576.0 / Elapsed.TotalSeconds : 0;

    /// <summary>One hour in microseconds: no SMTP reply legitimately takes longer.</summary>
    internal const long HighestLatencyMicros = 3_600_000_000;

    internal static LongHistogram NewHistogram() => new(HighestLatencyMicros, 3);
}
