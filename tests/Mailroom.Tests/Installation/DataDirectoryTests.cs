using Mailroom.Configuration;

namespace Mailroom.Tests.Installation;

/// <summary>Which data directory a verb uses, and admin verbs that refuse one without a database (README, "Data directory").</summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _work = System.IO.Directory.CreateTempSubdirectory("mailroom-datadir-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task AnAdminVerbRefusesADataDirectoryWithoutADatabaseAndCreatesNothing()
    {
        string data = Path.Combine(_work.FullName, "typo");

        CliResult result = await CliRunner.RunAsync(data, null, "domain", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                $"mailroom: using data directory {data} (--data)",
                $"mailroom: no Mailroom database in {data}; pass --data DIR or set MAILROOM_DATA, or --create to start one here",
            ],
            result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(data, "mailroom.db")));
    }

    [Fact]
    public async Task CreateStartsADatabaseAndLaterVerbsNeedNoFlag()
    {
        string data = Path.Combine(_work.FullName, "new");

        CliResult created = await CliRunner.RunAsync(data, null, "domain", "add", "example.org", "--create");
        CliResult listed = await CliRunner.RunAsync(data, null, "domain", "list");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Contains("example.org", listed.Output, StringComparison.Ordinal);
        Assert.Equal($"mailroom: using data directory {data} (--data)", listed.Error.Trim());
    }

    [Fact]
    public void TheDataOptionWinsOverTheEnvironmentWhichWinsOverTheInstalledDefault()
    {
        Assert.Equal(new DataDirectoryChoice("/srv/a", "--data"), DataDirectoryChoice.Resolve("/srv/a", "/srv/b", installed: true));
        Assert.Equal(new DataDirectoryChoice("/srv/b", "MAILROOM_DATA"), DataDirectoryChoice.Resolve(null, "/srv/b", installed: true));
        Assert.Equal(InstalledPaths.DataDirectory, DataDirectoryChoice.Resolve(null, null, installed: true).Path);
        Assert.Equal(Path.GetFullPath("data"), DataDirectoryChoice.Resolve(null, "", installed: false).Path);
    }

    [Fact]
    public async Task MailroomDataNamesTheDirectoryWhenNoOptionDoes()
    {
        string data = Path.Combine(_work.FullName, "from-environment");
        CliResult created = await CliRunner.RunAsync(data, null, "domain", "add", "example.org", "--create");
        Assert.True(created.ExitCode == 0, created.Error);

        CliResult listed = await CliRunner.RunWithoutDataAsync(new Dictionary<string, string> { ["MAILROOM_DATA"] = data }, "domain", "list");

        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Contains("example.org", listed.Output, StringComparison.Ordinal);
        Assert.Equal($"mailroom: using data directory {data} (MAILROOM_DATA)", listed.Error.Trim());
    }
}
