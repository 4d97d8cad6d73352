using System.Diagnostics;

namespace Mailroom.Interop.Tests.Support;

/// <summary>Bounded polling for effects another process produces (delivery, log lines); never an unbounded wait.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> WaitForAsync<T>(Func<T?> probe, TimeSpan timeout, string what)
        where T : class
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"gave up after {timeout.TotalSeconds:0.#} s waiting for {what}");
            }

            await Task.Delay(PollInterval, TestContext.Current.CancellationToken);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
        => WaitForAsync(() => condition() ? string.Empty : null, timeout, what);
}
