namespace Mailroom.Tests;

public sealed class CliHelpTests : IDisposable
{
    private readonly DirectoryInfo _data = System.IO.Directory.CreateTempSubdirectory("mailroom-clihelp-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task UserAddWithoutATerminalAndWithoutPasswordStdinSuggestsTheOption()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_data.FullName, null, "domain", "add", "example.org", "--create")).ExitCode);
        CliResult result = await CliRunner.RunAsync(_data.FullName, "s3cret\n", "user", "add", "ann@example.org");
        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("mailroom: using data directory ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("mailroom: no terminal to ask for the password on", lines[1], StringComparison.Ordinal);
        Assert.Contains("--password-stdin", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeHelpNamesEveryServiceWithItsPortAndKey()
    {
        CliResult result = await CliRunner.RunAsync(_data.FullName, null, "serve", "--help");
        Assert.Equal(0, result.ExitCode);
        string help = string.Join(' ', result.Output.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        foreach (string service in (string[])["smtp 25", "submission 587", "smtps 465", "pop3 110", "pop3s 995", "imap 143", "imaps 993", "managesieve 4190", "metrics"])
        {
            Assert.Contains(service, help, StringComparison.Ordinal);
        }

        foreach (string key in (string[])["Smtp:Port", "Smtp:SubmissionPort", "Smtp:SmtpsPort", "Pop3:Port", "Pop3:Pop3sPort", "Imap:Port", "Imap:ImapsPort", "ManageSieve:Port", "Metrics:Listen"])
        {
            Assert.Contains(key, help, StringComparison.Ordinal);
        }
    }
}
