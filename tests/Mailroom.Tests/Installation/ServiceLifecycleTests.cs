using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Mailroom.Tests.Support;

namespace Mailroom.Tests.Installation;

/// <summary>
/// The installed service as systemd runs it, with the unit's settings and no systemd: the published single-file
/// program that <c>mailroom install</c> put in place, started as the service user with only CAP_NET_BIND_SERVICE
/// (ambient) and no_new_privs, on the installed configuration and data, reporting to a NOTIFY_SOCKET the test reads;
/// stopped and started again as <c>systemctl restart</c> would, then uninstalled. (<see cref="SystemdServiceTests"/>
/// starts the same unit under a real systemd.)
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(PrivilegedPortCollection.Name)]
public sealed partial class ServiceLifecycleTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task TheInstalledProgramBindsAPrivilegedPortAsItsUserReloadsOnSighupKeepsMailAcrossARestartAndUninstalls()
    {
        Requirement.Root("running the service as its user");
        string setpriv = Requirement.Tool("setpriv", "util-linux");
        Requirement.Tool("useradd", "passwd");
        string published = PublishedProgram.Require();
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        string data = _root.Combine("var/lib/mailroom");
        // Root's runs unpack the program's native libraries apart from the service user's (the unit's CacheDirectory).
        var asRoot = new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = _root.Combine("root-cache") };
        CliResult installed = await CliRunner.RunCommandAsync([published], null, asRoot, "install", "--root", _root.Path);
        Assert.True(installed.ExitCode == 0, installed.Error);
        string program = _root.Combine("usr/local/bin/mailroom");
        Assert.Contains($"installed {program}", installed.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunCommandAsync([program], null, asRoot, "domain", "add", "example.org", "--data", data)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunCommandAsync([program], "secret\n", asRoot, "user", "add", "samt@example.org", "--password-stdin", "--data", data)).ExitCode);
        (uint uid, uint gid) = _root.ServiceUser();
        string cache = _root.Combine("var/cache/mailroom");
        System.IO.Directory.CreateDirectory(cache);
        File.SetUnixFileMode(cache, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(0, Hosting.Privileges.LibC.LChown(cache, uid, gid));
        int privilegedPort = FreePrivilegedPort();
        using var notify = new NotifySocket(_root.Combine("notify.sock"));

        using (Service service = Service.Start(setpriv, program, uid, gid, _root, privilegedPort, notify.Path))
        {
            await notify.WaitForAsync("READY=1", StartTimeout);
            Assert.Equal(privilegedPort, service.Port("smtp"));
            await SendAsync(privilegedPort, "before the restart", cancellationToken);
            await WaitForMessagesAsync(data, 1, service);

            using var http = new HttpClient();
            string metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{service.Port("metrics")}/metrics"), cancellationToken);
            Assert.Contains("# TYPE", metrics, StringComparison.Ordinal);

            service.Signal("HUP");
            IReadOnlyList<string> reload = await notify.WaitForAsync("READY=1", StartTimeout);
            Assert.Contains(reload, message => message.StartsWith("RELOADING=1", StringComparison.Ordinal));
            Assert.True(service.IsRunning, service.Output);

            service.Signal("TERM");
            await notify.WaitForAsync("STOPPING=1", StartTimeout);
            Assert.True(await service.WaitForExitAsync() == 0, service.Output);
        }

        using (Service again = Service.Start(setpriv, program, uid, gid, _root, privilegedPort, notify.Path))
        {
            await notify.WaitForAsync("READY=1", StartTimeout);
            Assert.Single(DeliveredMessages(data));
            await SendAsync(privilegedPort, "after the restart", cancellationToken);
            await WaitForMessagesAsync(data, 2, again);
            again.Signal("TERM");
            Assert.True(await again.WaitForExitAsync() == 0, again.Output);
        }

        Assert.All(DeliveredMessages(data), file => Assert.Equal(uid, Hosting.Privileges.FileOwnership.Of(file)?.Uid));

        CliResult uninstalled = await CliRunner.RunCommandAsync([program], null, asRoot, "uninstall", "--root", _root.Path);
        Assert.True(uninstalled.ExitCode == 0, uninstalled.Error);
        Assert.False(File.Exists(_root.Combine("etc/systemd/system/mailroom.service")));
        Assert.False(File.Exists(program));
        Assert.Equal(2, DeliveredMessages(data).Length);
    }

    /// <summary>A port below 1024 that nothing on 127.0.0.1 uses now (a bounded search from the top).</summary>
    internal static int FreePrivilegedPort()
    {
        for (int port = 1023; port > 900; port--)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use; try the next one down.
            }
        }

        throw new InvalidOperationException("no free port between 901 and 1023 on 127.0.0.1");
    }

    internal static async Task SendAsync(int port, string subject, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        using var reader = new StreamReader(client.GetStream());
        await using var writer = new StreamWriter(client.GetStream()) { NewLine = "\r\n", AutoFlush = true };
        await ExpectAsync(reader, "220");
        foreach ((string command, string reply) in new[]
        {
            ("EHLO client.example.net", "250"), ("MAIL FROM:<ann@example.net>", "250"), ("RCPT TO:<samt@example.org>", "250"), ("DATA", "354"),
            ($"Subject: {subject}\r\n\r\nhello\r\n.", "250"), ("QUIT", "221"),
        })
        {
            await writer.WriteLineAsync(command);
            await ExpectAsync(reader, reply);
        }
    }

    private static async Task ExpectAsync(StreamReader reader, string code)
    {
        string? line;
        do
        {
            line = await reader.ReadLineAsync();
            Assert.NotNull(line);
        }
        while (line.Length > 3 && line[3] == '-');
        Assert.StartsWith(code, line, StringComparison.Ordinal);
    }

    internal static string[] DeliveredMessages(string data) =>
        System.IO.Directory.Exists(Path.Combine(data, "mail"))
            ? [.. System.IO.Directory.EnumerateFiles(Path.Combine(data, "mail"), "*", SearchOption.AllDirectories)
                .Where(file => Path.GetFileName(Path.GetDirectoryName(file)) is "new" or "cur")]
            : [];

    private static async Task WaitForMessagesAsync(string data, int count, Service service)
    {
        for (int attempt = 0; attempt < 300 && DeliveredMessages(data).Length < count; attempt++)
        {
            await Task.Delay(100);
        }

        string maillog = Path.Combine(data, "log", "maillog");
        Assert.True(
            DeliveredMessages(data).Length == count,
            $"expected {count} delivered messages; output: {service.Output}\nmaillog: {(File.Exists(maillog) ? File.ReadAllText(maillog) : "none")}");
    }

    /// <summary><c>mailroom serve</c> as the unit's ExecStart runs it (the installed program), under setpriv instead of systemd.</summary>
    private sealed partial class Service : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();

        private Service(Process process) => _process = process;

        public bool IsRunning => !_process.HasExited;

        public string Output => string.Join('\n', _output);

        public static Service Start(string setpriv, string program, uint uid, uint gid, TemporaryRoot root, int smtpPort, string notifySocket)
        {
            var info = new ProcessStartInfo(setpriv) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            string[] arguments =
            [
                $"--reuid={uid}", $"--regid={gid}", "--clear-groups", "--no-new-privs",
                "--inh-caps=-all,+net_bind_service", "--ambient-caps=-all,+net_bind_service", "--bounding-set=-all,+net_bind_service",
                "--", program,
                "serve", "--config", root.Combine("etc/mailroom/mailroom.json"), "--data", root.Combine("var/lib/mailroom"),
                "--set", "Dns:Servers:0=127.0.0.1:9", "--set", "Dns:Timeout=00:00:00.500", "--set", "Dns:Retries=0",
                "--set", "Spf:Enabled=false", "--set", "Dkim:Verify=false", "--set", "Dmarc:Enabled=false", "--set", "Arc:Verify=false",
                "--set", "Smtp:Hostname=mail.example.org", "--set", "Smtp:BindAddresses:0=127.0.0.1", "--set", $"Smtp:Port={smtpPort}",
                "--set", "Smtp:SubmissionPort=-1", "--set", "Smtp:SmtpsPort=-1", "--set", "Pop3:Port=-1", "--set", "Pop3:Pop3sPort=-1",
                "--set", "Imap:Port=-1", "--set", "Imap:ImapsPort=-1", "--set", "ManageSieve:Port=-1", "--set", "Metrics:Listen=127.0.0.1:0",
            ];
            foreach (string argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["NOTIFY_SOCKET"] = notifySocket;
            info.Environment["HOME"] = root.Combine("var/lib/mailroom");
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = root.Combine("var/cache/mailroom");
            var service = new Service(Process.Start(info)!);
            service._process.OutputDataReceived += (_, line) => service.Keep(line.Data);
            service._process.ErrorDataReceived += (_, line) => service.Keep(line.Data);
            service._process.BeginOutputReadLine();
            service._process.BeginErrorReadLine();
            return service;
        }

        public int Port(string listener)
        {
            foreach (string line in _output)
            {
                Match match = Listening().Match(line);
                if (match.Success && match.Groups["name"].Value == listener)
                {
                    return int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            throw new InvalidOperationException($"no {listener} listener in: {Output}");
        }

        public void Signal(string signal)
        {
            using Process kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        public async Task<int> WaitForExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private void Keep(string? line)
        {
            if (line is not null)
            {
                _output.Enqueue(line);
            }
        }

        [GeneratedRegex(@"^mailroom: (?<name>[a-z0-9]+) listening on 127\.0\.0\.1:(?<port>\d+)$")]
        private static partial Regex Listening();
    }
}
