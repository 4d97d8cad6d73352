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

    [Theory]
    [InlineData("Smtp:Prot=26", "mailroom: configuration error: Smtp:Prot: unknown key; did you mean Smtp:Port?")]
    [InlineData("smtp:maxmesagesize=5", "mailroom: configuration error: smtp:maxmesagesize: unknown key; did you mean Smtp:MaxMessageSize?")]
    [InlineData("Frobnicate:Widget=1", "mailroom: configuration error: Frobnicate:Widget: unknown key (mailroom config show lists them all)")]
    [InlineData("Smtp:Milters:0:Adress=inet:127.0.0.1:11332", "mailroom: configuration error: Smtp:Milters:0:Adress: unknown key (mailroom config show lists them all)")]
    public async Task AnUnknownKeyIsAnErrorNamingTheNearestKnownKey(string setting, string expected)
    {
        CliResult result = await CliRunner.RunAsync(_data.FullName, null, (IReadOnlyDictionary<string, string>?)null, "config", "check", "--set", setting);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected, result.Error.Trim());
    }

    [Theory]
    [InlineData("Smtp:TrustedNetworks:3=10.0.0.0/8")]
    [InlineData("Delivery:Transports:example.net=smtp:[192.0.2.1]:25")]
    [InlineData("SMTP:PORT=2525")]
    [InlineData("Smtp:Milters:0:Address=inet:127.0.0.1:11332")]
    [InlineData("Sieve:MaxActions=10")]
    [InlineData("Sieve:SpamTest:Header=X-Spam-Score")]
    [InlineData("Delivery:RecipientDelimiter=-")]
    [InlineData("Dnsbl:Threshold=2")]
    [InlineData("SendingLimits:UserMessagesPerHour=10")]
    public async Task KnownKeysListIndexesAndMapNamesAreAccepted(string setting)
    {
        CliResult result = await CliRunner.RunAsync(_data.FullName, null, (IReadOnlyDictionary<string, string>?)null, "config", "check", "--set", setting);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public async Task AnUnknownKeyInTheEnvironmentIsAnErrorToo()
    {
        CliResult result = await CliRunner.RunAsync(_data.FullName, null, new Dictionary<string, string> { ["MAILROOM__Smtp__Portt"] = "2525" }, "config", "check");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("mailroom: configuration error: Smtp:Portt: unknown key; did you mean Smtp:Port?", result.Error.Trim());
    }

    [Fact]
    public async Task ConfigShowPrintsEachValueInForceWithWhereItCameFrom()
    {
        string file = Path.Combine(_data.FullName, "mailroom.json");
        await File.WriteAllTextAsync(file, """{ "Smtp": { "MaxRecipients": 500 } }""", TestContext.Current.CancellationToken);

        CliResult result = await CliRunner.RunAsync(
            _data.FullName, null, new Dictionary<string, string> { ["MAILROOM__Smtp__Port"] = "2525" },
            "config", "show", "--config", file, "--set", "Imap:Port=1143", "--set", "Directory:ConnectionString=Password=hunter2-never-shown");

        Assert.True(result.ExitCode == 0, result.Error);
        string[] lines = result.Output.Split('\n');
        Assert.Equal($"# data directory {_data.FullName}", lines[0]);
        Assert.Matches(@"^Smtp:Port +2525 +environment MAILROOM__Smtp__Port$", Line(lines, "Smtp:Port "));
        Assert.Matches($@"^Smtp:MaxRecipients +500 +file {System.Text.RegularExpressions.Regex.Escape(file)}$", Line(lines, "Smtp:MaxRecipients "));
        Assert.Matches(@"^Imap:Port +1143 +--set$", Line(lines, "Imap:Port "));
        Assert.Matches(@"^Pop3:Port +110 +default$", Line(lines, "Pop3:Port "));
        Assert.Matches(@"^Queue:QueueDirectory +\S+ +data directory$", Line(lines, "Queue:QueueDirectory "));
        Assert.Matches(@"^Directory:ConnectionString +\(hidden\) +--set$", Line(lines, "Directory:ConnectionString "));
        Assert.DoesNotContain("hunter2-never-shown", result.Output, StringComparison.Ordinal);
    }

    private static string Line(string[] lines, string prefix) => Assert.Single(lines, l => l.StartsWith(prefix, StringComparison.Ordinal)).TrimEnd();
}
