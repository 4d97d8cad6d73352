using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// Debian's dnsmasq answering a generated zone on 127.0.0.1 and a free port: the DNS the policy tests run against,
/// never the internet. Names under <c>.test</c> that the zone lacks do not exist (NXDOMAIN). <see cref="RunIsolatedAsync"/>
/// runs a tool that can only use the system resolver (port 53 from <c>/etc/resolv.conf</c>) in its own network and
/// mount namespace, with a second dnsmasq on that namespace's loopback port 53.
/// </summary>
internal sealed class TestDnsServer : IAsyncDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("mailroom-dns-").FullName;
    private readonly List<string> _lines = [];
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>The <c>Dns:Servers</c> value for Mailroom.</summary>
    public string Server => $"127.0.0.1:{Port}";

    public TestDnsServer Txt(string name, string text)
    {
        // One TXT record of several character-strings: each at most 255 octets (RFC 1035 §3.3).
        var parts = new List<string>();
        for (int i = 0; i < text.Length; i += 255)
        {
            parts.Add("\"" + text.Substring(i, Math.Min(255, text.Length - i)).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }

        _lines.Add($"txt-record={name},{string.Join(",", parts)}");
        return this;
    }

    /// <summary>
    /// A domain whose mail may come only from <paramref name="senders"/> (SPF mechanisms, then <c>-all</c>) and whose
    /// failures its owner asks to be rejected (DMARC <c>p=reject</c>): the zone in which a spoof from anywhere else fails.
    /// </summary>
    public TestDnsServer RejectingDomain(string domain, string senders = "ip4:192.0.2.1") =>
        Txt(domain, $"v=spf1 {senders} -all").Txt("_dmarc." + domain, "v=DMARC1; p=reject");

    public TestDnsServer Address(string name, string address)
    {
        _lines.Add($"host-record={name},{address}");
        return this;
    }

    public TestDnsServer Mx(string name, string host, int preference)
    {
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"mx-host={name},{host},{preference}"));
        return this;
    }

    public TestDnsServer Ptr(string address, string name)
    {
        _lines.Add($"ptr-record={IPAddress.Parse(address).GetArpaName().TrimEnd('.')},{name}");
        return this;
    }

    /// <summary>Starts dnsmasq (skips the test when it is not installed) and waits until it answers.</summary>
    public async Task<TestDnsServer> StartAsync()
    {
        string dnsmasq = ExternalTool.Require("dnsmasq");
        string config = WriteConfig();
        for (int attempt = 0; attempt < 5 && _process is null; attempt++)
        {
            int port = FreeUdpPort();
            var info = new ProcessStartInfo(dnsmasq) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string argument in (string[])["--keep-in-foreground", $"--conf-file={config}", $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--user=root", "--pid-file="])
            {
                info.ArgumentList.Add(argument);
            }

            Process process = Process.Start(info)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (await AnswersAsync(port))
            {
                _process = process;
                Port = port;
            }
            else
            {
                process.Kill();
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }

        return _process is not null ? this : throw new InvalidOperationException("dnsmasq did not start on a free loopback port");
    }

    /// <summary>
    /// Runs <paramref name="command"/> (a shell command line) with the system resolver pointed at this zone: in a new
    /// network and mount namespace, loopback up, dnsmasq on 127.0.0.1:53 and <c>/etc/resolv.conf</c> bind-mounted over.
    /// Skips the test where namespaces cannot be made (not root), unless external tools are required.
    /// </summary>
    public async Task<ProcessResult> RunIsolatedAsync(string command, string? standardInput = null)
    {
        string unshare = ExternalTool.Require("unshare");
        string dnsmasq = ExternalTool.Require("dnsmasq");
        string ip = ExternalTool.Require("ip");
        string resolv = Path.Combine(_directory, "resolv.conf");
        await File.WriteAllTextAsync(resolv, "nameserver 127.0.0.1\n");
        string script = $"{ip} link set lo up && mount --bind {resolv} /etc/resolv.conf && {dnsmasq} --conf-file={WriteConfig()} --port=53 --listen-address=127.0.0.1 --bind-interfaces --user=root --pid-file={_directory}/ns.pid && sleep 0.2 && {command}; status=$?; kill $(cat {_directory}/ns.pid); exit $status";
        ProcessResult result = await ChildProcess.RunAsync(unshare, ["--net", "--mount", "sh", "-c", script], standardInput, TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0 && result.StandardError.Contains("unshare failed", StringComparison.Ordinal))
        {
            string reason = "cannot create network namespaces here: " + result.StandardError.Trim();
            if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        return result;
    }

    /// <summary>
    /// The unshare command line that runs a long-lived <paramref name="command"/> as <see cref="RunIsolatedAsync"/> runs a
    /// short one: in its own network and mount namespace, with this zone on that namespace's 127.0.0.1:53. For daemons
    /// that use the system resolver (OpenDMARC); reach them through a unix socket, which crosses network namespaces.
    /// </summary>
    public (string Tool, string[] Arguments) Isolated(string command)
    {
        ExternalTool.Require("unshare");
        string dnsmasq = ExternalTool.Require("dnsmasq");
        string ip = ExternalTool.Require("ip");
        string resolv = Path.Combine(_directory, "resolv.conf");
        File.WriteAllText(resolv, "nameserver 127.0.0.1\n");
        string script = $"{ip} link set lo up && mount --bind {resolv} /etc/resolv.conf && {{ {dnsmasq} --keep-in-foreground --conf-file={WriteConfig()} --port=53 --listen-address=127.0.0.1 --bind-interfaces --user=root --pid-file= & }} && sleep 0.2 && exec {command}";
        return ("unshare", ["--net", "--mount", "sh", "-c", script]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        System.IO.Directory.Delete(_directory, recursive: true);
    }

    private string WriteConfig()
    {
        string path = Path.Combine(_directory, "zone.conf");
        var text = new StringBuilder("no-resolv\nno-hosts\nlocal=/test/\nlocal-ttl=60\n");
        foreach (string line in _lines)
        {
            text.Append(line).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A query for a name that cannot exist gets an answer (NXDOMAIN) once dnsmasq listens.</summary>
    private static async Task<bool> AnswersAsync(int port)
    {
        byte[] query = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'p', (byte)'r', (byte)'o', (byte)'b', (byte)'e', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 1, 0, 1];
        using var client = new UdpClient(AddressFamily.InterNetwork);
        for (int i = 0; i < 50; i++)
        {
            await client.SendAsync(query, new IPEndPoint(IPAddress.Loopback, port));
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            try
            {
                UdpReceiveResult reply = await client.ReceiveAsync(timeout.Token);
                if (reply.Buffer.Length >= 4 && reply.Buffer[0] == 0x12 && reply.Buffer[1] == 0x34)
                {
                    return true;
                }
            }
            catch (OperationCanceledException)
            {
                // Not listening yet: ask again.
            }
            catch (SocketException)
            {
                // ICMP port unreachable before dnsmasq binds: ask again.
                await Task.Delay(50);
            }
        }

        return false;
    }
}
