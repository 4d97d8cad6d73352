using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Mailroom.Interop.Tests.Support;

/// <summary><c>mailroom bench sink</c> as a child process on 127.0.0.1: the "world" that outbound mail goes to.</summary>
internal sealed partial class SinkProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private SinkProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SinkProcess> StartAsync(int port, params string[] options)
    {
        var info = new ProcessStartInfo(ChildProcess.DotnetHost)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])[MailroomServer.ProgramPath, "bench", "sink", "--listen", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options])
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info)!;
        // Drain stdout so the sink never blocks on a full pipe; its totals are not needed here.
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                return new SinkProcess(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("bench sink exited before it listened");
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on .*:(\d+)$")]
    private static partial Regex Listening();
}
