using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mailroom.Core;

namespace Mailroom.Queue.Tests;

public sealed class ThroughputTests : IDisposable
{
    private const int Messages = 300;
    private const int Submitters = 16;
    private readonly QueueHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ManyConcurrentSubmissionsAreAllDeliveredExactlyOnce()
    {
        // fsync blocks a pool thread; with the default minimum (one thread per core) this would measure
        // the pool's thread injection rather than the queue.
        ThreadPool.SetMinThreads(64, 64);
        using QueueManager manager = _harness.CreateManager();
        await manager.StartAsync(TestContext.Current.CancellationToken);
        var queue = new SpoolQueue(manager);
        byte[] content = Encoding.ASCII.GetBytes("Subject: load\r\n\r\n" + new string('x', 2000) + "\r\n");
        int next = -1;

        var stopwatch = Stopwatch.StartNew();
        var submitters = new Task[Submitters];
        for (int s = 0; s < Submitters; s++)
        {
            submitters[s] = Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < Messages)
                {
                    await QueueHarness.SubmitAsync(queue, _harness.Envelope(QueueHarness.Local($"user{n % 4}@example.org")), content);
                }
            }, TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(submitters);
        TimeSpan accepted = stopwatch.Elapsed;
        for (int i = 0; i < 3000 && _harness.Logs.Messages(MaillogCategories.Qmgr).Count(m => m.EndsWith(": removed", StringComparison.Ordinal)) < Messages; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        TimeSpan delivered = stopwatch.Elapsed;
        await manager.StopAsync(TestContext.Current.CancellationToken);

        int total = 0;
        for (int u = 0; u < 4; u++)
        {
            total += _harness.Mailbox($"user{u}@example.org").Length;
        }

        Assert.Equal(Messages, total);
        Assert.Empty(_harness.QueueFiles("active"));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Messages} messages, {Submitters} submitters: accepted durably at {Messages / accepted.TotalSeconds:0} msg/s, delivered durably at {Messages / delivered.TotalSeconds:0} msg/s"));
    }
}
