using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>A bad setting stops <c>config check</c> and <c>serve</c> with exit code 1 and one line naming the key.</summary>
public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly DirectoryInfo _data = System.IO.Directory.CreateTempSubdirectory("mailroom-config-");

    public static TheoryData<string, string> BadSettings => new()
    {
        { "Smtp:Port=abc", "mailroom: configuration error: Smtp:Port: 'abc' is not a valid number" },
        { "Smtp:TrustedNetworks:0=10.0.0.0/33", "mailroom: configuration error: bad CIDR '10.0.0.0/33' in Smtp:TrustedNetworks" },
        { "Net:Tls:CertificateFile=/nonexistent/cert.pem", "mailroom: configuration error: Net:Tls:CertificateFile '/nonexistent/cert.pem'" },
        // We run as root, so chmod 000 would still be readable: a directory is the unreadable "file".
        { "Net:Tls:CertificateFile=/", "mailroom: configuration error: Net:Tls:CertificateFile" },
        { "Smtp:Port=70000", "mailroom: configuration error: Smtp:Port" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task ConfigCheckRejectsTheSettingWithOneLineNamingTheKey(string setting, string expected)
    {
        ProcessResult result = await MailroomServer.RunCliAsync(["config", "check", "--data", _data.FullName, "--set", setting]);

        Assert.True(result.ExitCode == 1, $"expected exit code 1: {result}");
        Assert.Equal([expected], ErrorLines(result, expected));
        Assert.DoesNotContain("Unhandled exception", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageCertificateContentIsRejectedNamingTheKey()
    {
        string garbage = Path.Combine(_data.FullName, "garbage.pem");
        await File.WriteAllTextAsync(garbage, "this is not a certificate\n", TestContext.Current.CancellationToken);

        ProcessResult result = await MailroomServer.RunCliAsync(
            ["config", "check", "--data", _data.FullName, "--set", $"Net:Tls:CertificateFile={garbage}", "--set", $"Net:Tls:KeyFile={garbage}"]);

        Assert.True(result.ExitCode == 1, $"expected exit code 1: {result}");
        Assert.Contains("mailroom: configuration error: Net:Tls:CertificateFile", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Smtp:Port=abc", "mailroom: configuration error: Smtp:Port: 'abc' is not a valid number")]
    [InlineData("Net:Tls:CertificateFile=/", "mailroom: configuration error: Net:Tls:CertificateFile")]
    public async Task ServeWithABadSettingExitsOneWithOnlyTheConfigurationErrorLineOnStderr(string setting, string expected)
    {
        ProcessResult result = await MailroomServer.RunCliAsync(
            ["serve", "--data", _data.FullName, .. MailroomServer.LoopbackSettings.SelectMany(s => (string[])["--set", s]), "--set", setting]);

        Assert.True(result.ExitCode == 1, $"expected exit code 1: {result}");
        string[] lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.Contains(" info: ", StringComparison.Ordinal) && !l.Contains(" warn: ", StringComparison.Ordinal))
            .ToArray();
        string line = Assert.Single(lines);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheckAcceptsTheLoopbackTestConfiguration()
    {
        ProcessResult result = await MailroomServer.RunCliAsync(
            ["config", "check", "--data", _data.FullName, .. MailroomServer.LoopbackSettings.SelectMany(s => (string[])["--set", s])]);

        Assert.True(result.ExitCode == 0, $"config check failed: {result}");
        Assert.StartsWith("configuration ok", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:0", result.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Delete(recursive: true);

    private static List<string> ErrorLines(ProcessResult result, string expected) =>
        result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.StartsWith(expected, StringComparison.Ordinal) ? expected : l)
            .ToList();
}
