namespace Mailroom.Toolkit.Bench;

/// <summary>Counters shared by all senders, read by the live progress display while the run goes on.</summary>
internal sealed class BenchProgress
{
    private long _sent;
    private long _failed;

    public long Sent => Interlocked.Read(ref _sent);

    public long Failed => Interlocked.Read(ref _failed);

    public void AddSent() => Interlocked.Increment(ref _sent);

    public void AddFailed(long count = 1) => Interlocked.Add(ref _failed, count);
}
