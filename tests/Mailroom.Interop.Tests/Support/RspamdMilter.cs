using System.Net;
using System.Net.Sockets;

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// rspamd (Debian's) with its proxy worker in milter mode on loopback, self-scanning, without Redis: the other workers
/// and the fuzzy check off, hyperscan off (it takes minutes to compile on a loaded machine), DNS to a port where nothing answers. Its
/// milter_headers module adds X-Spamd-Result to every message; a subject containing <see cref="JunkSubject"/> scores
/// 10 (between rspamd's add-header threshold, 6, and its reject threshold, 15), so rspamd marks it X-Spam: Yes.
/// </summary>
public sealed class RspamdMilter : IAsyncLifetime
{
    public const string JunkSubject = "mailroom-junk-probe";

    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("mailroom-rspamd-").FullName;
    private DaemonProcess? _daemon;

    public int Port { get; private set; }

    public string Address => $"inet:127.0.0.1:{Port}";

    public async ValueTask InitializeAsync()
    {
        ExternalTool.Require("rspamd");
        Port = FreePort();
        string local = Path.Combine(_directory, "local");
        string localD = Path.Combine(local, "local.d");
        System.IO.Directory.CreateDirectory(localD);
        foreach (string sub in (string[])["db", "run", "log"])
        {
            System.IO.Directory.CreateDirectory(Path.Combine(_directory, sub));
        }

        await File.WriteAllTextAsync(Path.Combine(localD, "worker-proxy.inc"),
            $"bind_socket = \"127.0.0.1:{Port}\";\nmilter = yes;\ntimeout = 120s;\ncount = 1;\nupstream \"local\" {{\n  default = yes;\n  self_scan = yes;\n}}\n");
        // The fuzzy check asks rspamd.com's servers by name while loading, which stalls start-up with no network.
        foreach (string worker in (string[])["worker-normal.inc", "worker-controller.inc", "worker-fuzzy.inc", "fuzzy_check.conf"])
        {
            await File.WriteAllTextAsync(Path.Combine(localD, worker), "enabled = false;\n");
        }

        await File.WriteAllTextAsync(Path.Combine(localD, "logging.inc"), "type = \"console\";\nlevel = \"error\";\n");
        await File.WriteAllTextAsync(Path.Combine(localD, "options.inc"),
            $"dns {{ nameserver = [\"127.0.0.1:{FreePort()}\"]; timeout = 1s; retransmits = 1; }}\ndisable_hyperscan = true;\n");
        await File.WriteAllTextAsync(Path.Combine(localD, "milter_headers.conf"),
            "use = [\"x-spamd-result\"];\nskip_local = false;\nskip_authenticated = false;\n");
        string map = Path.Combine(_directory, "junk.map");
        await File.WriteAllTextAsync(map, $"/{JunkSubject}/\n");
        await File.WriteAllTextAsync(Path.Combine(localD, "multimap.conf"),
            $"MAILROOM_JUNK_PROBE {{\n  type = \"header\";\n  header = \"Subject\";\n  regexp = true;\n  map = \"{map}\";\n  score = 10.0;\n}}\n");

        _daemon = await DaemonProcess.StartAsync("rspamd",
            ["-f", "-i", "-c", "/etc/rspamd/rspamd.conf", "--var", $"LOCAL_CONFDIR={local}", "--var", $"DBDIR={_directory}/db",
                "--var", $"RUNDIR={_directory}/run", "--var", $"LOGDIR={_directory}/log"],
            Port,
            TimeSpan.FromMinutes(4));
    }

    public string Output => _daemon?.Output ?? "";

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }

        System.IO.Directory.Delete(_directory, recursive: true);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
