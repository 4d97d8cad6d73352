using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// A daemon from Debian (rspamd, opendkim) run in the foreground for a test: started, awaited until its port accepts
/// connections (bounded), and killed with its children on dispose. Its output is kept for failure messages.
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private DaemonProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _output);

    /// <summary>Starts <paramref name="tool"/> and waits until 127.0.0.1:<paramref name="port"/> accepts a connection.</summary>
    public static Task<DaemonProcess> StartAsync(string tool, IEnumerable<string> arguments, int port, TimeSpan startTimeout) =>
        StartAsync(tool, arguments, async () =>
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync("127.0.0.1", port);
        }, $"port {port}", startTimeout);

    /// <summary>Starts <paramref name="tool"/> and waits until the unix socket at <paramref name="socketPath"/> accepts a connection.</summary>
    public static Task<DaemonProcess> StartAsync(string tool, IEnumerable<string> arguments, string socketPath, TimeSpan startTimeout) =>
        StartAsync(tool, arguments, async () =>
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        }, $"socket {socketPath}", startTimeout);

    private static async Task<DaemonProcess> StartAsync(string tool, IEnumerable<string> arguments, Func<Task> probe, string endpoint, TimeSpan startTimeout)
    {
        var info = new ProcessStartInfo(ExternalTool.Require(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var daemon = new DaemonProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}"));
        DateTime deadline = DateTime.UtcNow + startTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (daemon._process.HasExited)
            {
                int exitCode = daemon._process.ExitCode;
                await Task.Delay(100);
                string output = daemon.Output;
                await daemon.DisposeAsync();
                throw new InvalidOperationException($"{tool} exited with {exitCode} before listening: {output}");
            }

            try
            {
                await probe();
                return daemon;
            }
            catch (SocketException)
            {
                await Task.Delay(250);
            }
        }

        string seen = daemon.Output;
        await daemon.DisposeAsync();
        throw new TimeoutException($"{tool} did not listen on {endpoint} within {startTimeout}: {seen}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
    }
}
