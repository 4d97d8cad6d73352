using System.Diagnostics;
using Mailroom.Tests.Support;

namespace Mailroom.Tests.Installation;

/// <summary>
/// The unit <c>mailroom install</c> writes, run by a real systemd: systemd as process 1 of private PID and mount
/// namespaces (a machine of its own, as a container manager would start it), with the installed program,
/// configuration, user and unit at their real paths (the host's /etc, /var and /usr/local become copy-on-write inside
/// the namespace, so nothing of the host changes) and stub targets in place of the host's units. Proves that the
/// hardening (seccomp filter, capabilities, ProtectSystem=strict, PrivateTmp…) lets the .NET program run:
/// <c>systemctl start</c>, mail, <c>reload</c>, <c>restart</c>, <c>stop</c>, then <c>mailroom uninstall</c> against it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(PrivilegedPortCollection.Name)]
public sealed class SystemdServiceTests : IDisposable
{
    private const string SystemdBinary = "/lib/systemd/systemd";
    private const string InstalledProgram = "/usr/local/bin/mailroom";
    private const string CapNetBindServiceOnly = "0000000000000400"; // bit 10, CAP_NET_BIND_SERVICE
    private static readonly TimeSpan SystemdTimeout = TimeSpan.FromSeconds(60);

    private readonly TemporaryRoot _root = new();
    private readonly DirectoryInfo _work = System.IO.Directory.CreateTempSubdirectory("mailroom-systemd-");
    private Process? _namespace;
    private int _systemd;
    private string? _cgroup;

    public void Dispose()
    {
        StopMachine();
        _work.Delete(recursive: true);
        _root.Dispose();
    }

    [Fact]
    public async Task SystemdStartsReloadsRestartsAndStopsTheInstalledUnitAndUninstallRemovesIt()
    {
        Requirement.Root("running systemd in its own namespaces");
        string unshare = Requirement.Tool("unshare", "util-linux");
        Requirement.Tool("nsenter", "util-linux");
        Requirement.Tool("useradd", "passwd");
        if (!File.Exists(SystemdBinary))
        {
            Requirement.Missing($"{SystemdBinary} not installed (apt-get install -y systemd)");
        }

        string published = PublishedProgram.Require();
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        string data = _root.Combine("var/lib/mailroom");
        var asRoot = new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = _root.Combine("root-cache") };
        CliResult installed = await CliRunner.RunCommandAsync([published], null, asRoot, "install", "--root", _root.Path);
        Assert.True(installed.ExitCode == 0, installed.Error);
        string program = _root.Combine("usr/local/bin/mailroom");
        Assert.Equal(0, (await CliRunner.RunCommandAsync([program], null, asRoot, "domain", "add", "example.org", "--data", data)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunCommandAsync([program], "secret\n", asRoot, "user", "add", "samt@example.org", "--password-stdin", "--data", data)).ExitCode);
        (uint uid, _) = _root.ServiceUser();
        int port = ServiceLifecycleTests.FreePrivilegedPort();
        await WriteConfigurationAsync(port, cancellationToken);

        await StartMachineAsync(unshare);

        await SystemctlAsync("start", "mailroom");
        Assert.Equal("active", await PropertyAsync("ActiveState"));
        string[] status = (await InMachineAsync(["cat", $"/proc/{await PropertyAsync("MainPID")}/status"])).Output.Split('\n');
        Assert.Equal(uid.ToString(System.Globalization.CultureInfo.InvariantCulture), Field(status, "Uid").Split('\t')[0]);
        Assert.Equal(CapNetBindServiceOnly, Field(status, "CapEff"));
        Assert.Equal("1", Field(status, "NoNewPrivs"));
        Assert.Equal("2", Field(status, "Seccomp")); // SECCOMP_MODE_FILTER: SystemCallFilter is in force
        await ServiceLifecycleTests.SendAsync(port, "under systemd", cancellationToken);
        await WaitForMessagesAsync(data, 1);

        // serve started by hand on the installed machine works on the service's data directory, says so, and stops.
        CliResult byHand = await InMachineAsync([InstalledProgram, "serve"]);
        Assert.Equal(1, byHand.ExitCode);
        Assert.StartsWith("mailroom: using data directory /var/lib/mailroom (installed: /etc/mailroom/mailroom.json exists)", byHand.Output, StringComparison.Ordinal);
        string refusal = Assert.Single(byHand.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^mailroom: another mailroom serve \(pid \d+\) is already running on the data directory /var/lib/mailroom; stop it first", refusal);

        await SystemctlAsync("reload", "mailroom");
        await WaitForActiveAsync(); // "reloading" from RELOADING=1 until the service's READY=1
        await ServiceLifecycleTests.SendAsync(port, "after the reload", cancellationToken);
        await WaitForMessagesAsync(data, 2);

        await SystemctlAsync("restart", "mailroom");
        Assert.Equal("active", await PropertyAsync("ActiveState"));
        Assert.Equal(2, ServiceLifecycleTests.DeliveredMessages(data).Length);
        await ServiceLifecycleTests.SendAsync(port, "after the restart", cancellationToken);
        await WaitForMessagesAsync(data, 3);

        await SystemctlAsync("stop", "mailroom");
        Assert.Equal("inactive", await PropertyAsync("ActiveState"));
        Assert.Equal("success", await PropertyAsync("Result"));

        CliResult uninstalled = await InMachineAsync([InstalledProgram, "uninstall"]);
        Assert.True(uninstalled.ExitCode == 0, uninstalled.Error);
        Assert.Equal("not-found", await PropertyAsync("LoadState"));
        Assert.Equal(1, (await InMachineAsync(["test", "-e", InstalledProgram])).ExitCode);
        Assert.Equal(3, ServiceLifecycleTests.DeliveredMessages(data).Length);
    }

    /// <summary>The admin's edit of the installed file: SMTP on a free port below 1024, nothing else listening, DNS answered by nobody.</summary>
    private async Task WriteConfigurationAsync(int port, CancellationToken cancellationToken)
    {
        string file = _root.Combine("etc/mailroom/mailroom.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "Smtp": { "Hostname": "mail.example.org", "BindAddresses": [ "127.0.0.1" ], "Port": {{port}}, "SubmissionPort": -1, "SmtpsPort": -1 },
              "Pop3": { "Port": -1, "Pop3sPort": -1 }, "Imap": { "Port": -1, "ImapsPort": -1 }, "ManageSieve": { "Port": -1 },
              "Metrics": { "Listen": "" },
              "Dns": { "Servers": [ "127.0.0.1:9" ], "Timeout": "00:00:00.500", "Retries": 0 },
              "Spf": { "Enabled": false }, "Dkim": { "Verify": false }, "Dmarc": { "Enabled": false }, "Arc": { "Verify": false }
            }
            """, cancellationToken);
    }

    /// <summary>Starts systemd as process 1 of new PID and mount namespaces and waits until it runs; skips, saying why, when it cannot.</summary>
    private async Task StartMachineAsync(string unshare)
    {
        string stub = System.IO.Path.Combine(_work.FullName, "units");
        System.IO.Directory.CreateDirectory(stub);
        foreach (string target in new[] { "default", "sysinit", "basic", "multi-user", "network", "network-online", "shutdown" })
        {
            File.WriteAllText(System.IO.Path.Combine(stub, $"{target}.target"), $"[Unit]\nDescription={target} (stub of the test machine)\n");
        }

        string script = System.IO.Path.Combine(_work.FullName, "machine.sh");
        File.WriteAllText(script, MachineScript);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { script, "outer", unshare, _root.Path, stub })
        {
            info.ArgumentList.Add(argument);
        }

        _namespace = Process.Start(info)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _namespace.OutputDataReceived += (_, line) => Keep(output, line.Data);
        _namespace.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        _namespace.BeginOutputReadLine();
        _namespace.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        string state = "";
        while (deadline.Elapsed < SystemdTimeout && !_namespace.HasExited)
        {
            _cgroup ??= output.FirstOrDefault(l => l.StartsWith("cgroup ", StringComparison.Ordinal))?[7..];
            _systemd = _systemd != 0 ? _systemd : SystemdChildOf(_namespace.Id);
            if (_systemd != 0)
            {
                CliResult running = await InMachineAsync(["systemctl", "is-system-running"]);
                state = running.Output.Trim();
                if (state is "running" or "degraded")
                {
                    return;
                }
            }

            await Task.Delay(250);
        }

        Requirement.Missing(
            $"systemd did not come up as process 1 of a private PID and mount namespace (state '{state}'; " +
            $"{(_namespace.HasExited ? $"exited with {_namespace.ExitCode}" : "still starting")}): {string.Join(" | ", output)}");
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    /// <summary>Kills the namespace's process 1 (which takes every process inside with it) and removes the test's cgroups.</summary>
    private void StopMachine()
    {
        if (_namespace is null)
        {
            return;
        }

        if (_systemd != 0)
        {
            using Process kill = Process.Start("kill", ["-KILL", _systemd.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        if (!_namespace.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _namespace.Kill(entireProcessTree: true);
            _namespace.WaitForExit(TimeSpan.FromSeconds(30));
        }

        _namespace.Dispose();
        if (_cgroup is not null)
        {
            RemoveCgroups(_cgroup);
        }
    }

    /// <summary>Removes the test's cgroup, deepest first, in every mounted hierarchy (a cgroup goes once its processes have).</summary>
    private static void RemoveCgroups(string name)
    {
        IEnumerable<string> hierarchies = File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 2 && fields[2] is "cgroup" or "cgroup2")
            .Select(fields => System.IO.Path.Combine(fields[1], name))
            .Where(System.IO.Directory.Exists);
        foreach (string top in hierarchies)
        {
            string[] cgroups = [.. System.IO.Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length), top];
            foreach (string cgroup in cgroups)
            {
                for (int attempt = 0; attempt < 50 && System.IO.Directory.Exists(cgroup); attempt++)
                {
                    try
                    {
                        System.IO.Directory.Delete(cgroup);
                    }
                    catch (IOException)
                    {
                        Thread.Sleep(100); // its last processes are still exiting
                    }
                }
            }
        }
    }

    /// <summary>unshare's child once it has become systemd (before, the script's own helpers are children too); 0 until then.</summary>
    private static int SystemdChildOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(child => int.Parse(child, System.Globalization.CultureInfo.InvariantCulture))
                .FirstOrDefault(child => File.ReadAllText($"/proc/{child}/comm").Trim() == "systemd");
        }
        catch (IOException)
        {
            return 0; // a process that has just exited
        }
    }

    private Task<CliResult> InMachineAsync(IReadOnlyList<string> command) =>
        CliRunner.RunCommandAsync(
            ["nsenter", $"--target={_systemd}", "--mount", "--pid", .. command],
            null,
            // A program started by hand unpacks its native libraries in the machine's /run, not in root's home.
            new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = "/run/mailroom-by-hand" });

    private async Task SystemctlAsync(string verb, string unit)
    {
        CliResult result = await InMachineAsync(["systemctl", verb, unit]);
        if (result.ExitCode != 0)
        {
            CliResult journal = await InMachineAsync(["systemctl", "status", "--no-pager", "--full", unit]);
            Assert.Fail($"systemctl {verb} {unit} exited with {result.ExitCode}: {result.Error}\n{journal.Output}");
        }
    }

    private async Task<string> PropertyAsync(string name) =>
        (await InMachineAsync(["systemctl", "show", "--value", "-p", name, "mailroom"])).Output.Trim();

    private async Task WaitForActiveAsync()
    {
        string state = "";
        for (int attempt = 0; attempt < 360 && state != "active"; attempt++)
        {
            state = await PropertyAsync("ActiveState");
            if (state != "active")
            {
                await Task.Delay(250);
            }
        }

        Assert.Equal("active", state);
    }

    private static string Field(string[] status, string name) =>
        Assert.Single(status, line => line.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

    private static async Task WaitForMessagesAsync(string data, int count)
    {
        for (int attempt = 0; attempt < 300 && ServiceLifecycleTests.DeliveredMessages(data).Length < count; attempt++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(count, ServiceLifecycleTests.DeliveredMessages(data).Length);
    }

    /// <summary>
    /// outer: puts itself in a new child cgroup of every mounted hierarchy (systemd takes its own cgroup as its root, so
    /// the host's cgroups are never touched), prints its name, and becomes unshare. inner, process 1 of the new
    /// namespaces: makes /etc, /var and /usr/local copy-on-write over a tmpfs, puts the installed files at their real
    /// paths (the data directory bound to the test's, so the test sees the mail), gives systemd stub targets instead of
    /// the host's units and its own /run and /tmp (PrivateTmp's directories), and becomes systemd.
    /// </summary>
    private const string MachineScript = """
        #!/bin/sh
        set -eu
        mode=$1 unshare=$2 root=$3 stub=$4
        if [ "$mode" = outer ]; then
          cgroup=mailroom-test-systemd-$$
          awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts | while read -r hierarchy; do
            # cpuset refuses tasks until its cpus and mems are set; systemd does not use it.
            case "$hierarchy" in */cpuset) continue ;; esac
            mkdir "$hierarchy/$cgroup" && echo $$ > "$hierarchy/$cgroup/cgroup.procs"
          done
          echo "cgroup $cgroup"
          exec "$unshare" --fork --pid --mount --mount-proc --propagation private /bin/sh "$0" inner "$unshare" "$root" "$stub"
        fi
        mount -t tmpfs -o mode=0755 tmpfs /run
        for dir in etc var usr/local; do
          name=$(echo "$dir" | tr / -)
          mkdir -p "/run/overlay/$name/upper" "/run/overlay/$name/work"
          mount -t overlay overlay -o "lowerdir=/$dir,upperdir=/run/overlay/$name/upper,workdir=/run/overlay/$name/work" "/$dir"
        done
        mount -t tmpfs -o mode=0755 tmpfs /usr/lib/systemd/system
        cp "$stub"/* /usr/lib/systemd/system/
        cp "$root/etc/passwd" "$root/etc/group" /etc/
        rm -rf /etc/systemd/system /etc/mailroom /var/cache/mailroom
        cp -a "$root/etc/systemd/system" /etc/systemd/system
        cp -a "$root/etc/mailroom" /etc/mailroom
        mkdir -p /var/lib/mailroom /usr/local/bin
        mount --bind "$root/var/lib/mailroom" /var/lib/mailroom
        cp -a "$root/usr/local/bin/mailroom" /usr/local/bin/mailroom
        mount -t tmpfs -o mode=1777 tmpfs /tmp
        exec /lib/systemd/systemd --system --unit=default.target
        """;
}
