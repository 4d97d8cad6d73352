namespace Mailroom.Tests;

/// <summary><c>mailroom user junk ADDRESS on|off|default</c>: a user's own spam-to-Junk switch, through the real program.</summary>
public sealed class UserJunkCommandTests : IDisposable
{
    private readonly DirectoryInfo _data = System.IO.Directory.CreateTempSubdirectory("mailroom-userjunk-");

    public void Dispose() => _data.Delete(recursive: true);

    private async Task AddUserAsync()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_data.FullName, null, "domain", "add", "example.org", "--create")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(_data.FullName, "s3cret\n", "user", "add", "ann@example.org", "--password-stdin")).ExitCode);
    }

    [Theory]
    [InlineData("off", "INBOX")]
    [InlineData("ON", "the Junk folder")]
    [InlineData("default", "the default (Delivery:SpamToJunk)")]
    public async Task EachSettingIsStoredAndSaidBack(string setting, string shown)
    {
        await AddUserAsync();

        CliResult result = await CliRunner.RunAsync(_data.FullName, null, "user", "junk", "Ann@example.org", setting);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"spam-marked mail to ann@example.org goes to {shown}", result.Output.Trim());
    }

    [Fact]
    public async Task AnythingButOnOffOrDefaultIsRefused()
    {
        await AddUserAsync();

        CliResult result = await CliRunner.RunAsync(_data.FullName, null, "user", "junk", "ann@example.org", "maybe");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'maybe' is not on, off or default", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownUserIsRefused()
    {
        await AddUserAsync();

        CliResult result = await CliRunner.RunAsync(_data.FullName, null, "user", "junk", "nobody@example.org", "off");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("nobody@example.org", result.Error, StringComparison.Ordinal);
    }
}
