using System.Globalization;
using System.Net.Sockets;

namespace Mailroom.Toolkit.Check;

/// <summary>
/// Exposure check: a bounded TCP connect scan (short timeout, few connections at a time) compared with the
/// ports that should be open. Unexpected open ports are a WARN; expected ports that are closed a FAIL.
/// </summary>
internal static class PortScan
{
    private const int Parallelism = 8;

    public static async Task<IReadOnlyList<CheckResult>> RunAsync(string host, IEnumerable<int> scanPorts, IReadOnlySet<int> expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int[] ports = [.. scanPorts.Union(expected).Order()];
        var open = new bool[ports.Length];
        await Parallel.ForAsync(0, ports.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            open[i] = await IsOpenAsync(host, ports[i], timeout, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var results = new List<CheckResult>();
        for (int i = 0; i < ports.Length; i++)
        {
            string target = ports[i].ToString(CultureInfo.InvariantCulture);
            bool isExpected = expected.Contains(ports[i]);
            if (open[i] && !isExpected)
            {
                results.Add(new CheckResult("exposure", target, CheckStatus.Warn, "open but not expected: close it or firewall it"));
            }
            else if (!open[i] && isExpected)
            {
                results.Add(new CheckResult("exposure", target, CheckStatus.Fail, "expected open but closed or filtered"));
            }
        }

        int openCount = open.Count(o => o);
        results.Insert(0, new CheckResult("exposure", host, CheckStatus.Pass, string.Create(CultureInfo.InvariantCulture,
            $"{ports.Length} ports scanned, {openCount} open: {string.Join(",", ports.Where((_, i) => open[i]))}")));
        return results;
    }

    private static async Task<bool> IsOpenAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(host, port, connect.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
