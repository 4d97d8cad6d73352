using Mailroom.Toolkit.Mail;

namespace Mailroom.Toolkit.Tests;

public sealed class MailTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("mailroom-mail-");
    private readonly string _maildir;

    public MailTests()
    {
        _maildir = Path.Combine(_data.FullName, "mail", "example.org", "alice");
        foreach (string sub in new[] { "new", "cur", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(_maildir, sub));
        }

        Write("cur", "1000.A.host:2,S", "Bob Sender <bob@example.net>", "Mon, 24 Nov 2025 10:00:00 +0000", "First subject", DateTime.UtcNow.AddMinutes(-2));
        Write("new", "2000.B.host", "carol@example.net", "Tue, 25 Nov 2025 12:05:21 +0000", "Second subject", DateTime.UtcNow.AddMinutes(-1));
    }

    public void Dispose() => _data.Delete(recursive: true);

    private void Write(string sub, string name, string from, string date, string subject, DateTime mtime)
    {
        string path = Path.Combine(_maildir, sub, name);
        File.WriteAllText(path, $"From: {from}\r\nTo: alice@example.org\r\nDate: {date}\r\nSubject: {subject}\r\n\r\nBody of {subject}.\r\n");
        File.SetLastWriteTimeUtc(path, mtime);
    }

    [Fact]
    public async Task HeaderListShowsSenderSubjectAndNewMarker()
    {
        (int code, string output) = await CommandLineTests.InvokeAsync($"mail -u alice@example.org -H --data {_data.FullName}");

        Assert.Equal(0, code);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("2 messages 1 new", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^ \s+1 Bob Sender\s+Mon Nov 24 10:00 .*First subject", lines[1]);
        Assert.Matches(@"^>N\s+2 carol@example\.net\s+Tue Nov 25 12:05 .*Second subject", lines[2]);
    }

    [Fact]
    public async Task PrintingAMessageShowsItAndMarksItSeen()
    {
        (int code, string output) = await CommandLineTests.InvokeAsync($"mail -u alice@example.org -p 2 --data {_data.FullName}");

        Assert.Equal(0, code);
        Assert.Contains("Body of Second subject.", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_maildir, "new")));
        Assert.True(File.Exists(Path.Combine(_maildir, "cur", "2000.B.host:2,S")));
    }

    [Fact]
    public void PromptPrintsDeletesAndQuitAppliesTheDeletion()
    {
        var output = new StringWriter();
        var reader = new MailReader(MaildirMailbox.Load(_maildir), output);
        reader.Run(new StringReader("p 1\nd 1\n?\nq\n"));

        string text = output.ToString();
        Assert.Contains("Body of First subject.", text, StringComparison.Ordinal);
        Assert.Contains("Held 1 message in", text, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_maildir, "cur", "1000.A.host:2,S")));
        Assert.True(File.Exists(Path.Combine(_maildir, "new", "2000.B.host")));
    }

    [Fact]
    public void ExitDiscardsDeletionsAndReadMarks()
    {
        var reader = new MailReader(MaildirMailbox.Load(_maildir), TextWriter.Null);
        reader.Run(new StringReader("2\nd 1\nx\n"));

        Assert.True(File.Exists(Path.Combine(_maildir, "cur", "1000.A.host:2,S")));
        Assert.True(File.Exists(Path.Combine(_maildir, "new", "2000.B.host")));
    }

    [Fact]
    public void ReadingWithNextMarksSeenOnQuit()
    {
        var reader = new MailReader(MaildirMailbox.Load(_maildir), TextWriter.Null);
        reader.Run(new StringReader("\n"));

        Assert.True(File.Exists(Path.Combine(_maildir, "cur", "2000.B.host:2,S")));
    }

    [Fact]
    public async Task UnknownMailboxIsAnError()
    {
        (int code, _) = await CommandLineTests.InvokeAsync($"mail -u nobody@example.org -H --data {_data.FullName}");
        Assert.Equal(1, code);
    }
}
