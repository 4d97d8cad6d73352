using System.Globalization;

namespace Mailroom.Toolkit.Bench;

/// <summary>The live rate of <c>bench send</c>'s progress display: messages per second since the previous sample.</summary>
internal sealed class BenchRate(TimeProvider time)
{
    private long _lastTimestamp = time.GetTimestamp();
    private long _lastCount;

    /// <summary>Messages per second between the previous sample and this one (0 when no time has passed).</summary>
    public double Sample(long count)
    {
        long now = time.GetTimestamp();
        double seconds = time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        double rate = seconds > 0 ? (count - _lastCount) / seconds : 0;
        _lastTimestamp = now;
        _lastCount = count;
        return rate;
    }

    public static string Describe(long sent, long failed, double perSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"sent {sent}, failed {failed}, {perSecond:F0} msg/s");
}
