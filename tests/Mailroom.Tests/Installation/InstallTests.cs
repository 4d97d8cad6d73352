using System.Diagnostics;
using Mailroom.Hosting.Privileges;
using Mailroom.Tests.Support;

namespace Mailroom.Tests.Installation;

/// <summary><c>mailroom install</c> and <c>uninstall</c> into a temporary root (README, "Install on a server").</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallTests : IDisposable
{
    private const int PrivateDirectory = 0x1C0; // 0700
    private readonly TemporaryRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task InstallCreatesTheUserTheConfigurationThePrivateDataDirectoryAndTheUnit()
    {
        Requirement.Root("install");

        CliResult result = await InstallAsync();

        Assert.True(result.ExitCode == 0, result.Error);
        (uint uid, uint gid) = _root.ServiceUser();
        Assert.NotEqual(0u, uid);
        Assert.Contains(_root.ReadText("etc/group").Split('\n'), line => line.StartsWith("mailroom:", StringComparison.Ordinal) && line.EndsWith($":{gid}:", StringComparison.Ordinal));
        Assert.Equal(new FileOwnership(uid, gid, 0x4000 | PrivateDirectory), _root.Ownership("var/lib/mailroom"));
        Assert.Equal((uid, gid), Owner("var/lib/mailroom/mailroom.db"));
        Assert.Equal(new FileOwnership(0, gid, 0x8000 | 0x1A0), _root.Ownership("etc/mailroom/mailroom.json")); // 0640 root:mailroom
        Assert.Equal(new FileOwnership(0, gid, 0x4000 | 0x1E8), _root.Ownership("etc/mailroom")); // 0750
        Assert.Equal(new FileOwnership(0, 0, 0x8000 | 0x1A4), _root.Ownership("etc/systemd/system/mailroom.service")); // 0644
        Assert.Contains($"created the system user and group mailroom (uid {uid}, gid {gid})", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheUnitRunsTheServiceUnprivilegedWithTheHardeningTheIssueAsksFor()
    {
        Requirement.Root("install");

        Assert.Equal(0, (await InstallAsync()).ExitCode);

        string[] unit = File.ReadAllLines(_root.Combine("etc/systemd/system/mailroom.service"));
        string[] expected =
        [
            "Type=notify",
            "ExecStart=/usr/local/bin/mailroom serve --config /etc/mailroom/mailroom.json --data /var/lib/mailroom",
            "ExecReload=/bin/kill -HUP $MAINPID",
            "Restart=on-failure",
            "User=mailroom",
            "Group=mailroom",
            "AmbientCapabilities=CAP_NET_BIND_SERVICE",
            "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ReadWritePaths=/var/lib/mailroom",
            "PrivateTmp=yes",
            "ProtectHome=yes",
            "WantedBy=multi-user.target",
        ];
        Assert.All(expected, line => Assert.Contains(line, unit));
    }

    [Fact]
    public async Task SystemdAnalyzeVerifiesTheUnitWithoutAComplaint()
    {
        Requirement.Root("install");
        string analyze = Requirement.Tool("systemd-analyze", "systemd");
        Assert.Equal(0, (await InstallAsync()).ExitCode);
        // verify --root resolves everything inside the root: the targets the unit names, /bin/kill of ExecReload, and the
        // program (this test runs mailroom.dll, which install does not copy; a published single file would be there).
        CopyDirectory("/usr/lib/systemd/system", _root.Combine("usr/lib/systemd/system"));
        System.IO.Directory.CreateDirectory(_root.Combine("bin"));
        System.IO.Directory.CreateDirectory(_root.Combine("usr/local/bin"));
        File.Copy("/bin/kill", _root.Combine("bin/kill"));
        await File.WriteAllTextAsync(_root.Combine("usr/local/bin/mailroom"), "#!/bin/sh\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(_root.Combine("usr/local/bin/mailroom"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);

        (int exitCode, string output) = await RunAsync(analyze, "verify", "--man=no", $"--root={_root.Path}", "/etc/systemd/system/mailroom.service");

        // Unknown keys and unparsable values are only warnings to systemd: any line at all is a defect of the unit.
        Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify exited with {exitCode}: {output}");
    }

    [Fact]
    public async Task TheWrittenConfigurationPassesConfigCheck()
    {
        Requirement.Root("install");
        Assert.Equal(0, (await InstallAsync()).ExitCode);

        CliResult check = await CliRunner.RunAsync(_root.Combine("var/lib/mailroom"), null, (IReadOnlyDictionary<string, string>?)null,
            "config", "check", "--config", _root.Combine("etc/mailroom/mailroom.json"));

        Assert.True(check.ExitCode == 0, check.Error);
        Assert.StartsWith("configuration ok", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallingAgainKeepsTheAdminsConfigurationTheDataAndTheUser()
    {
        Requirement.Root("install");
        Assert.Equal(0, (await InstallAsync()).ExitCode);
        (uint uid, _) = _root.ServiceUser();
        string edited = """{ "Smtp": { "Hostname": "mx.example.org" } }""";
        await File.WriteAllTextAsync(_root.Combine("etc/mailroom/mailroom.json"), edited, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(_root.Combine("var/lib/mailroom/kept"), "mail", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(_root.Combine("var/lib/mailroom"), (UnixFileMode)0x1ED); // someone loosened it to 0755

        CliResult again = await InstallAsync();

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(edited, _root.ReadText("etc/mailroom/mailroom.json"));
        Assert.Equal("mail", _root.ReadText("var/lib/mailroom/kept"));
        Assert.Equal(uid, _root.ServiceUser().Uid);
        Assert.Equal(PrivateDirectory, _root.Ownership("var/lib/mailroom").Permissions);
        Assert.Contains("kept", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UninstallRemovesTheUnitAndKeepsTheDataTheConfigurationAndTheUser()
    {
        Requirement.Root("install");
        Assert.Equal(0, (await InstallAsync()).ExitCode);

        CliResult result = await CliRunner.RunAsync(_root.Combine("var/lib/mailroom"), null, (IReadOnlyDictionary<string, string>?)null, "uninstall", "--root", _root.Path);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.False(File.Exists(_root.Combine("etc/systemd/system/mailroom.service")));
        Assert.True(File.Exists(_root.Combine("var/lib/mailroom/mailroom.db")));
        Assert.True(File.Exists(_root.Combine("etc/mailroom/mailroom.json")));
        _ = _root.ServiceUser();
        CliResult again = await CliRunner.RunAsync(_root.Combine("var/lib/mailroom"), null, (IReadOnlyDictionary<string, string>?)null, "uninstall", "--root", _root.Path);
        Assert.True(again.ExitCode == 0, again.Error);
    }

    [Fact]
    public async Task UninstallWithPurgeRemovesTheDataTheConfigurationAndTheUser()
    {
        Requirement.Root("install");
        Requirement.Tool("userdel", "passwd");
        Assert.Equal(0, (await InstallAsync()).ExitCode);

        CliResult result = await CliRunner.RunAsync(_root.Combine("var/lib/mailroom"), null, (IReadOnlyDictionary<string, string>?)null, "uninstall", "--root", _root.Path, "--purge");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.False(System.IO.Directory.Exists(_root.Combine("var/lib/mailroom")));
        Assert.False(System.IO.Directory.Exists(_root.Combine("etc/mailroom")));
        Assert.DoesNotContain("mailroom:", _root.ReadText("etc/passwd"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("install", "it creates the system user and writes /etc/mailroom, /var/lib/mailroom and the systemd unit")]
    [InlineData("uninstall", "it stops the service and removes the systemd unit and the program")]
    public async Task AnyoneButRootIsRefusedInOneLineSayingWhatNeedsRootAndNothingIsWritten(string verb, string why)
    {
        // Run as nobody when the tests run as root, as themselves otherwise; --root does not make it unprivileged.
        IReadOnlyList<string> command = LeastPrivilege.IsRoot
            ? [Requirement.Tool("setpriv", "util-linux"), "--reuid=65534", "--regid=65534", "--clear-groups", "--", "dotnet", CliRunner.ProgramPath]
            : ["dotnet", CliRunner.ProgramPath];
        string[] before = System.IO.Directory.GetFileSystemEntries(_root.Path, "*", SearchOption.AllDirectories);

        CliResult result = await CliRunner.RunCommandAsync(command, null, new Dictionary<string, string> { ["HOME"] = _root.Path }, verb, "--root", _root.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"mailroom: {verb} must run as root ({why}): sudo mailroom {verb}", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(before, System.IO.Directory.GetFileSystemEntries(_root.Path, "*", SearchOption.AllDirectories));
    }

    private Task<CliResult> InstallAsync()
    {
        Requirement.Tool("useradd", "passwd");
        return CliRunner.RunAsync(_root.Combine("var/lib/mailroom"), null, (IReadOnlyDictionary<string, string>?)null, "install", "--root", _root.Path);
    }

    private (uint, uint) Owner(string relative)
    {
        FileOwnership ownership = _root.Ownership(relative);
        return (ownership.Uid, ownership.Gid);
    }

    private static void CopyDirectory(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (string entry in System.IO.Directory.EnumerateFileSystemEntries(source))
        {
            string destination = Path.Combine(target, Path.GetFileName(entry));
            if (new FileInfo(entry).LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else if (System.IO.Directory.Exists(entry))
            {
                CopyDirectory(entry, destination);
            }
            else
            {
                File.Copy(entry, destination);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output + await error).Trim());
    }
}
