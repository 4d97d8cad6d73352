using System.Text;
using Mailroom.Core;
using Mailroom.Logging;
using Microsoft.Extensions.Logging;

namespace Mailroom.Tests;

public sealed class MaillogFormatTests
{
    [Fact]
    public void LinesCarryThePostfixSyslogPrefix()
    {
        var builder = new StringBuilder();
        var time = new DateTimeOffset(2026, 11, 5, 9, 8, 7, TimeSpan.Zero);
        SyslogLine.Append(builder, time, "myhost", "mailroom/smtpd", 1234, "connect from localhost[::1]");
        Assert.Equal("Nov  5 09:08:07 myhost mailroom/smtpd[1234]: connect from localhost[::1]\n", builder.ToString());
    }

    [Fact]
    public void ATwoDigitDayTakesNoPaddingAndTheHourIsOnTheTwentyFourHourClock()
    {
        var builder = new StringBuilder();
        var time = new DateTimeOffset(2026, 12, 16, 23, 59, 1, TimeSpan.Zero);
        SyslogLine.Append(builder, time, "mx", "mailroom/qmgr", 7, "text");
        Assert.Equal("Dec 16 23:59:01 mx mailroom/qmgr[7]: text\n", builder.ToString());
    }

    [Fact]
    public void NewlinesInLoggedTextCannotForgeAnotherLine()
    {
        var builder = new StringBuilder();
        SyslogLine.Append(builder, DateTimeOffset.UnixEpoch, "h", "mailroom/smtpd", 1, "helo=<x>\nNov 1 00:00:00 h mailroom/smtpd[1]: forged");
        Assert.Single(builder.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ControlCharactersInLoggedValuesAreCensoredAsPostfixDoes()
    {
        var builder = new StringBuilder();
        const string Hostile = "user=<\u001b[31mroot\u001b[0m\t\u009b2J\u007f\u202Egnp.exe\ud800>";

        SyslogLine.Append(builder, DateTimeOffset.UnixEpoch, "h", "mailroom/pop3", 1, Hostile);

        string line = builder.ToString();
        Assert.EndsWith(": user=<?[31mroot?[0m??2J??gnp.exe?>\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain(line[..^1], char.IsControl);
    }

    [Fact]
    public void PrintableUnicodeInLoggedValuesIsKept()
    {
        var builder = new StringBuilder();

        SyslogLine.Append(builder, DateTimeOffset.UnixEpoch, "h", "mailroom/smtpd", 1, "from=<j\u00f6rg@b\u00fccher.example> subject=\ud83d\udce8");

        Assert.EndsWith(": from=<j\u00f6rg@b\u00fccher.example> subject=\ud83d\udce8\n", builder.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DiagnosticsThroughTheSanitizingProviderAreCensoredToo()
    {
        var inner = new CapturingProvider();
        using var provider = new SanitizingLoggerProvider(inner);

        provider.CreateLogger("Mailroom.Smtp.SmtpConnectionHandler").Log(LogLevel.Warning, default, "Directory lookup for \u001b]0;pwned\u0007 failed", null, (s, _) => s);

        Assert.Equal("Directory lookup for ?]0;pwned? failed", Assert.Single(inner.Messages));
    }

    [Fact]
    public void TagUsesTheConfiguredSyslogName()
    {
        Assert.Equal("postfix/qmgr", SyslogLine.Tag(MaillogCategories.Qmgr, "postfix"));
        Assert.Equal("mailroom/smtpd", SyslogLine.Tag(MaillogCategories.Smtpd, "mailroom"));
    }

    [Fact]
    public async Task MaillogCategoriesReachTheFileAndOthersDoNot()
    {
        DirectoryInfo dir = System.IO.Directory.CreateTempSubdirectory("mailroom-log-");
        try
        {
            string path = Path.Combine(dir.FullName, "log", "maillog");
            await using (var writer = new MaillogWriter(path, console: null))
            {
                using var provider = new MaillogLoggerProvider(writer, "myhost", "mailroom", TimeProvider.System);
                provider.CreateLogger(MaillogCategories.Qmgr).Log(LogLevel.Information, default, "5E4A5BA2D4: removed", null, (s, _) => s);
                provider.CreateLogger(MaillogCategories.Smtpd).Log(LogLevel.Warning, default, "unknown[192.0.2.1]: SASL PLAIN authentication failed", null, (s, _) => s);
                provider.CreateLogger("Mailroom.Net.Something").Log(LogLevel.Information, default, "not a mail-log line", null, (s, _) => s);
                provider.CreateLogger(MaillogCategories.Smtpd).Log(LogLevel.Debug, default, "debug noise", null, (s, _) => s);
            }

            string[] lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(2, lines.Length);
            Assert.EndsWith($" myhost mailroom/qmgr[{Environment.ProcessId}]: 5E4A5BA2D4: removed", lines[0]);
            Assert.EndsWith("mailroom/smtpd[" + Environment.ProcessId + "]: warning: unknown[192.0.2.1]: SASL PLAIN authentication failed", lines[1]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private sealed class CapturingProvider : ILoggerProvider, ILogger
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
