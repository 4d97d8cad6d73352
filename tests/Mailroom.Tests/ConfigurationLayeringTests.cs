using Mailroom.Configuration;
using Microsoft.Extensions.Configuration;

namespace Mailroom.Tests;

public sealed class ConfigurationLayeringTests : IDisposable
{
    private readonly DirectoryInfo _dir = System.IO.Directory.CreateTempSubdirectory("mailroom-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void DefaultsPointIntoTheDataDirectory()
    {
        var paths = DataPaths.From(_dir.FullName);
        IConfigurationRoot config = MailroomConfiguration.Build(paths, null, []);
        Assert.Equal(Path.Combine(_dir.FullName, "mailroom.db"), config["Directory:DatabasePath"]);
        Assert.Equal(Path.Combine(_dir.FullName, "log", "maillog"), config["Log:MaillogPath"]);
    }

    [Fact]
    public void JsonWithCommentsThenCommandLineOverridesWin()
    {
        string file = Path.Combine(_dir.FullName, "mailroom.json");
        File.WriteAllText(file, """
            {
              // the submission port for this test
              "Smtp": { "Port": 2525, "SubmissionPort": 2587 }
            }
            """);
        IConfigurationRoot config = MailroomConfiguration.Build(DataPaths.From(_dir.FullName), file, ["Smtp:Port=2626"]);
        Assert.Equal("2626", config["Smtp:Port"]);
        Assert.Equal("2587", config["Smtp:SubmissionPort"]);
    }

    [Fact]
    public void MissingConfigFileIsNamed()
    {
        string file = Path.Combine(_dir.FullName, "nope.json");
        var ex = Assert.Throws<ConfigurationException>(() => MailroomConfiguration.Build(DataPaths.From(_dir.FullName), file, []));
        Assert.Contains("nope.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedOverrideIsRefused()
    {
        var ex = Assert.Throws<ConfigurationException>(() => MailroomConfiguration.ParseOverrides(["Smtp:Port"]));
        Assert.Contains("Section:Key=Value", ex.Message, StringComparison.Ordinal);
    }
}
