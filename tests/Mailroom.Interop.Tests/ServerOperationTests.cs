using System.Net;
using System.Net.Sockets;
using System.Text;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>What an admin or a service manager does to a running server: start a second one by mistake, check readiness, supervise it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServerOperationTests
{
    [Fact]
    public async Task ASecondServeOnTheSameDataDirectoryStopsWithOneLineNamingTheFirst()
    {
        await using MailroomServer first = await MailroomServer.StartAsync();

        ProcessResult second = await MailroomServer.RunCliAsync(
            ["serve", "--data", first.DataDirectory, .. MailroomServer.LoopbackSettings.SelectMany(s => (string[])["--set", s])]);

        Assert.True(second.ExitCode == 1, $"expected exit code 1: {second}");
        string line = Assert.Single(second.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            $"mailroom: another mailroom serve (pid {first.ProcessId}) is already running on the data directory {first.DataDirectory}; stop it first (systemctl stop mailroom, or kill {first.ProcessId})",
            line);
        // Which directory, and why, comes first on the standard output, so the refusal's directory is never a surprise.
        Assert.StartsWith($"mailroom: using data directory {first.DataDirectory} (--data)", second.StandardOutput, StringComparison.Ordinal);
        Assert.True(first.IsRunning);
    }

    [Fact]
    public async Task ReadinessFailsNamingTheDiskWhenFreeSpaceIsBelowTheFloor()
    {
        await using MailroomServer server = await MailroomServer.StartAsync(["Queue:MinFreeSpace=1000000000000000000"]);

        (HttpStatusCode status, string body) = await Scrape.GetAsync(server.MetricsPort, "/health/ready", TestContext.Current.CancellationToken);
        (HttpStatusCode live, _) = await Scrape.GetAsync(server.MetricsPort, "/health/live", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("not ready: disk: ", body, StringComparison.Ordinal);
        Assert.Contains("below Queue:MinFreeSpace (1000000000000000000)", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live);
    }

    [Fact]
    public async Task AnEmptyMetricsListenServesNoHttpEndpoint()
    {
        await using MailroomServer server = await MailroomServer.StartAsync(["Metrics:Listen="]);

        Assert.Throws<InvalidOperationException>(() => server.MetricsPort);
        Assert.DoesNotContain("metrics listening", server.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderSystemdTheServerReportsReadyReloadingAndStopping()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string directory = System.IO.Directory.CreateTempSubdirectory("mailroom-notify-").FullName;
        try
        {
            string path = Path.Combine(directory, "notify");
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            // systemd's socket is writable by every service user; the server may have dropped root before it notifies.
            File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
            File.SetUnixFileMode(directory, (UnixFileMode)0x1ED);

            await using MailroomServer server = await MailroomServer.StartAsync(null, [], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path });
            Assert.Contains("READY=1", await ReceiveAsync(socket, ct), StringComparison.Ordinal);

            NativeSignals.Send(server.ProcessId, NativeSignals.SigHup);
            Assert.Contains("RELOADING=1", await ReceiveAsync(socket, ct), StringComparison.Ordinal);
            Assert.Contains("READY=1", await ReceiveAsync(socket, ct), StringComparison.Ordinal);

            Assert.Equal(0, await server.StopAsync());
            Assert.Contains("STOPPING=1", await ReceiveAsync(socket, ct), StringComparison.Ordinal);
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task StatusShowsTheRunningServerOnOneScreen()
    {
        await using MailroomServer server = await MailroomServer.StartAsync();

        ProcessResult status = await server.RunAdminAsync(["status"]);

        Assert.True(status.ExitCode == 0, $"mailroom status failed: {status}");
        string[] lines = status.StandardOutput.Split('\n');
        Assert.Matches($@"^mailroom \S+, pid {server.ProcessId}, up \d+[dhms]", lines[0]);
        Assert.Equal($"data directory {server.DataDirectory}", lines[1]);
        Assert.Equal($"metrics http://127.0.0.1:{server.MetricsPort}/metrics", lines[2]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^smtp +127\.0\.0\.1:{server.SmtpPort} +0$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^deferred +0 +-$"));
        Assert.Contains(lines, l => l.StartsWith("certificate CN=", StringComparison.Ordinal) && l.Contains("(self-signed)", StringComparison.Ordinal));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  expires \d{4}-\d\d-\d\d \d\d:\d\dZ, in \d+d \d+h$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  issuer CN=\S.*; \d+ days to expiry$"));
        Assert.Contains("recent errors", status.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusWithoutARunningServerSaysSoInOneLine()
    {
        MailroomServer idle = MailroomServer.ForDataOnly();
        await using (idle)
        {
            ProcessResult status = await idle.RunAdminAsync(["status"]);

            Assert.True(status.ExitCode == 1, $"expected exit code 1: {status}");
            string line = Assert.Single(status.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"mailroom: no server answers on {Path.Combine(idle.DataDirectory, "mailroom.sock")}: is `mailroom serve` running on the data directory {idle.DataDirectory}?", line, StringComparison.Ordinal);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        byte[] buffer = new byte[4096];
        int length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
