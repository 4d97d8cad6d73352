using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// The real <c>mailroom serve</c> as a child process on a temporary data directory, bound to ephemeral ports on
/// 127.0.0.1 only. It can be stopped gracefully (SIGTERM), killed (SIGKILL) and restarted on the same data directory.
/// </summary>
public sealed partial class MailroomServer : IAsyncDisposable
{
    /// <summary>
    /// Every listener on loopback with an ephemeral port: tests never touch a real port or a non-loopback address. DNS
    /// goes to a loopback port where nothing answers, and the port-25 authentication checks are off, so that a test
    /// that sends from an untrusted loopback never asks the internet; the tests of those checks turn them on with
    /// <see cref="PolicyChecks"/> and bring their own zone (a <see cref="TestDnsServer"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> LoopbackSettings =
    [
        "Dns:Servers:0=127.0.0.1:" + UnansweredPort(),
        "Dns:Timeout=00:00:00.500",
        "Dns:Retries=0",
        "Spf:Enabled=false",
        "Dkim:Verify=false",
        "Dmarc:Enabled=false",
        "Arc:Verify=false",
        "Smtp:BindAddresses:0=127.0.0.1",
        "Smtp:Port=0",
        "Smtp:SubmissionPort=0",
        "Smtp:SmtpsPort=0",
        "Smtp:Hostname=" + HostName,
        "Pop3:BindAddresses:0=127.0.0.1",
        "Pop3:Port=0",
        "Pop3:Pop3sPort=0",
        "Imap:BindAddresses:0=127.0.0.1",
        "Imap:Port=0",
        "Imap:ImapsPort=0",
        "ManageSieve:BindAddresses:0=127.0.0.1",
        "ManageSieve:Port=0",
        "Log:Console=false",
        "Metrics:Listen=127.0.0.1:0",
    ];

    public const string HostName = "mail.example.org";

    /// <summary>The checks on, asking <paramref name="dns"/> with the default patience (a loaded CI machine is slow to answer).</summary>
    public static IReadOnlyList<string> PolicyChecks(string dns) =>
        ["Spf:Enabled=true", "Dkim:Verify=true", "Dmarc:Enabled=true", "Arc:Verify=true", $"Dns:Servers:0={dns}", "Dns:Timeout=00:00:05", "Dns:Retries=2"];

    private static int UnansweredPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }


    // Generous: a loaded 2-core machine has been seen to take over 30 s (fsync stalls, a privilege drop that creates the user).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private const int KeptOutputLines = 200;

    private readonly IReadOnlyList<string> _settings;
    private IReadOnlyList<string> _arguments = [];
    private IReadOnlyDictionary<string, string> _environment = new Dictionary<string, string>();
    private readonly bool _ownsDataDirectory;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentDictionary<string, int> _ports = new();
    private Process? _process;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<string> _expectedListeners = [];

    private MailroomServer(string dataDirectory, bool ownsDataDirectory, IReadOnlyList<string> settings)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        _settings = settings;
    }

    public static string ProgramPath => Path.Combine(AppContext.BaseDirectory, "mailroom.dll");

    /// <summary>The program this server runs; <see cref="ProgramPath"/> unless started from a copy.</summary>
    public string Program { get; private init; } = ProgramPath;

    /// <summary>
    /// Where the server runs. When set, <c>--data</c> is not given: the server uses its default <c>./data</c> there,
    /// as the README's first command does.
    /// </summary>
    public string? WorkingDirectory { get; private init; }

    /// <summary>The process id of the running server.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("not started");

    public string DataDirectory { get; }

    public string MaillogPath => Path.Combine(DataDirectory, "log", "maillog");

    public string QueueDirectory => Path.Combine(DataDirectory, "queue");

    public int SmtpPort => Port("smtp");

    public int SubmissionPort => Port("submission");

    public int SmtpsPort => Port("smtps");

    /// <summary>The port of the metrics and health endpoint (<c>Metrics:Listen</c>).</summary>
    public int MetricsPort => Port("metrics");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines the server wrote to stdout and stderr, for failure messages.</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>
    /// Creates a data directory, runs <paramref name="provision"/> (admin verbs, before the server opens the database)
    /// and starts the server with <see cref="LoopbackSettings"/> plus <paramref name="settings"/>.
    /// </summary>
    public static async Task<MailroomServer> StartAsync(IEnumerable<string>? settings = null, Func<MailroomServer, Task>? provision = null)
    {
        string data = System.IO.Directory.CreateTempSubdirectory("mailroom-interop-").FullName;
        var server = new MailroomServer(data, ownsDataDirectory: true, [.. LoopbackSettings, .. settings ?? []]);
        try
        {
            if (provision is not null)
            {
                await provision(server);
            }

            await server.LaunchAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the server with extra command-line <paramref name="arguments"/> (<c>--config FILE</c>) and
    /// <paramref name="environment"/> variables, on a fresh data directory. <see cref="LoopbackSettings"/> under the
    /// prefixes in <paramref name="leftToConfiguration"/> (<c>Dns:</c>) are not given on the command line, where they
    /// would win over the configuration file that a reload reads.
    /// </summary>
    public static async Task<MailroomServer> StartAsync(
        IEnumerable<string>? settings, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? leftToConfiguration = null)
    {
        string data = System.IO.Directory.CreateTempSubdirectory("mailroom-interop-").FullName;
        IEnumerable<string> loopback = LoopbackSettings.Where(s => leftToConfiguration?.Any(prefix => s.StartsWith(prefix, StringComparison.Ordinal)) != true);
        var server = new MailroomServer(data, ownsDataDirectory: true, [.. loopback, .. settings ?? []])
        {
            _arguments = arguments,
            _environment = environment ?? new Dictionary<string, string>(),
        };
        try
        {
            await server.LaunchAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="program"/> in <paramref name="workingDirectory"/> without <c>--data</c>, so that it makes
    /// and uses <c>./data</c> there. The caller owns the directory.
    /// </summary>
    public static async Task<MailroomServer> StartInAsync(string workingDirectory, string program, IEnumerable<string>? settings = null)
    {
        var server = new MailroomServer(Path.Combine(workingDirectory, "data"), ownsDataDirectory: false, [.. LoopbackSettings, .. settings ?? []])
        {
            Program = program,
            WorkingDirectory = workingDirectory,
        };
        try
        {
            await server.LaunchAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server on an existing data directory that the caller owns (a tmpfs mount, for example).</summary>
    public static async Task<MailroomServer> StartOnAsync(string dataDirectory, IEnumerable<string>? settings = null, Func<MailroomServer, Task>? provision = null)
    {
        var server = new MailroomServer(dataDirectory, ownsDataDirectory: false, [.. LoopbackSettings, .. settings ?? []]);
        try
        {
            if (provision is not null)
            {
                await provision(server);
            }

            await server.LaunchAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh data directory for running admin verbs without a server.</summary>
    public static MailroomServer ForDataOnly()
        => new(System.IO.Directory.CreateTempSubdirectory("mailroom-interop-").FullName, ownsDataDirectory: true, LoopbackSettings);

    public int Port(string listener) =>
        _ports.TryGetValue(listener, out int port) ? port : throw new InvalidOperationException($"the {listener} listener is not running");

    /// <summary>SIGTERM, then waits (bounded) for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        Process process = _process ?? throw new InvalidOperationException("not started");
        if (!process.HasExited)
        {
            NativeSignals.Send(process.Id, NativeSignals.SigTerm);
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"mailroom did not stop within {StopTimeout.TotalSeconds} s of SIGTERM\n{RecentOutput}");
        }

        return process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to flush or clean up, as in a power cut of the process.</summary>
    public async Task KillAsync()
    {
        Process process = _process ?? throw new InvalidOperationException("not started");
        process.Kill();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Starts the server again on the same data directory (new ephemeral ports).</summary>
    public Task RestartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("stop or kill the server before restarting it");
        }

        return LaunchAsync();
    }

    /// <summary>Waits until the mail log has a line matching <paramref name="pattern"/> and returns it.</summary>
    public Task<string> WaitForMaillogLineAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        return Eventually.WaitForAsync(
            () => MaillogLines().FirstOrDefault(regex.IsMatch),
            timeout ?? Maildir.DeliveryTimeout,
            $"a maillog line matching /{pattern}/ in {MaillogPath}");
    }

    /// <summary>Waits until the server has printed (stdout or stderr) a line matching <paramref name="pattern"/> and returns it.</summary>
    public Task<string> WaitForOutputLineAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        return Eventually.WaitForAsync(
            () => _output.FirstOrDefault(regex.IsMatch),
            timeout ?? Maildir.DeliveryTimeout,
            $"a line of the server's output matching /{pattern}/");
    }

    public IReadOnlyList<string> MaillogLines()
    {
        if (!File.Exists(MaillogPath))
        {
            return [];
        }

        // The server holds the file open for appending; share it rather than lock it out.
        using var stream = new FileStream(MaillogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await KillAsync();
        }

        _process?.Dispose();
        if (_ownsDataDirectory && System.IO.Directory.Exists(DataDirectory))
        {
            System.IO.Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private async Task LaunchAsync()
    {
        _process?.Dispose();
        _ports.Clear();
        _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _expectedListeners = ["smtp", "submission", "smtps", "managesieve"];
        _expectedListeners.RemoveWhere(name => _settings.Contains($"{PortKey(name)}=-1"));
        if (!_settings.Contains("Metrics:Listen="))
        {
            _expectedListeners.Add("metrics");
        }

        var start = new ProcessStartInfo(ChildProcess.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory ?? "",
        };
        foreach (string argument in WorkingDirectory is null ? [Program, "serve", "--data", DataDirectory] : (string[])[Program, "serve"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string setting in _settings)
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add(setting);
        }

        foreach (string argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (KeyValuePair<string, string> variable in _environment)
        {
            start.Environment[variable.Key] = variable.Value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnOutput(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => OnOutput(e.Data, isError: true);
        process.Exited += (_, _) => _ready.TrySetException(
            new InvalidOperationException($"mailroom serve exited before it was listening\n{RecentOutput}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        try
        {
            await _ready.Task.WaitAsync(StartTimeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw new TimeoutException($"mailroom serve was not listening within {StartTimeout.TotalSeconds} s\n{RecentOutput}");
        }
    }

    private void OnOutput(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(isError ? "[stderr] " + line : line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }

        if (!isError && ListeningLine().Match(line) is { Success: true } match)
        {
            _ports[match.Groups["name"].Value] = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (_expectedListeners.All(_ports.ContainsKey))
            {
                _ready.TrySetResult();
            }
        }
    }

    private static string PortKey(string listener) => listener switch
    {
        "smtp" => "Smtp:Port",
        "submission" => "Smtp:SubmissionPort",
        "managesieve" => "ManageSieve:Port",
        _ => "Smtp:SmtpsPort",
    };

    [GeneratedRegex(@"^mailroom: (?<name>[a-z0-9]+) listening on 127\.0\.0\.1:(?<port>\d+)$")]
    private static partial Regex ListeningLine();
}
