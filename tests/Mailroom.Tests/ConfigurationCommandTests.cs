namespace Mailroom.Tests;

public sealed class ConfigurationCommandTests : IDisposable
{
    private readonly DirectoryInfo _data = System.IO.Directory.CreateTempSubdirectory("mailroom-cfgcmd-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task EnvironmentVariablesOverrideTheDefaults()
    {
        CliResult result = await CliRunner.RunAsync(_data.FullName, null, new Dictionary<string, string> { ["MAILROOM__Smtp__Port"] = "2525" }, "config", "check");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("smtp        0.0.0.0:2525", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidEnvironmentValueStopsWithTheKeyNamed()
    {
        CliResult result = await CliRunner.RunAsync(_data.FullName, null, new Dictionary<string, string> { ["MAILROOM__Smtp__Port"] = "smtp" }, "config", "check");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("mailroom: configuration error: Smtp:Port: 'smtp' is not a valid number", result.Error.Trim());
    }

    [Fact]
    public async Task CommandLineOverridesWinOverEnvironment()
    {
        CliResult result = await CliRunner.RunAsync(_data.FullName, null, new Dictionary<string, string> { ["MAILROOM__Smtp__Port"] = "2525" }, "config", "check", "--set", "Smtp:Port=2626");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(":2626", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListenerCanBeDisabled()
    {
        CliResult result = await CliRunner.RunAsync(_data.FullName, null, (IReadOnlyDictionary<string, string>?)null, "config", "check", "--set", "Smtp:SmtpsPort=-1");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("smtps       disabled", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVerbFailsWithUsageOnStderr()
    {
        CliResult result = await CliRunner.RunAsync(_data.FullName, null, (IReadOnlyDictionary<string, string>?)null, "frobnicate");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("frobnicate", result.Error, StringComparison.Ordinal);
    }
}
