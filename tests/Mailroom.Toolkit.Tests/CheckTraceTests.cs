using System.Text;
using Mailroom.Toolkit.Bench;
using Mailroom.Toolkit.Check;
using Spectre.Console;

namespace Mailroom.Toolkit.Tests;

public sealed class CheckTraceTests
{
    [Fact]
    public async Task TracePrintsEachLineBothWaysWithTheAuthResponseRedacted()
    {
        await using var sink = new SmtpSink(new SinkSettings { Port = 0 }, TimeProvider.System);
        sink.Start();
        var output = new StringWriter();
        var settings = new CheckSettings
        {
            Host = "127.0.0.1",
            Services = [new ServiceSpec("submission", ServiceProtocol.Smtp, sink.LocalEndPoint.Port, false)],
            Scan = false,
            Relay = false,
            User = "ann@example.org",
            Password = "s3cret-pw",
            Timeout = TimeSpan.FromSeconds(5),
            Trace = new CheckTrace(output),
        };

        await new CheckRunner(settings, TimeProvider.System).RunAsync(_ => { }, TestContext.Current.CancellationToken);

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        string target = $"[submission {sink.LocalEndPoint.Port}] ";
        Assert.All(lines, l => Assert.StartsWith(target, l, StringComparison.Ordinal));
        Assert.StartsWith(target + "S: 220 ", lines[0], StringComparison.Ordinal);
        Assert.Contains(target + "C: EHLO ", lines[1], StringComparison.Ordinal);
        Assert.Contains(target + "C: STARTTLS", lines);
        Assert.Contains(lines, l => l.StartsWith(target + "# TLS started: ", StringComparison.Ordinal));
        Assert.Contains(target + "C: AUTH PLAIN <redacted>", lines);
        string token = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0ann@example.org\0s3cret-pw"));
        Assert.DoesNotContain(token, output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AUTH PLAIN AGFubgBwdw==", "AUTH PLAIN <redacted>")]
    [InlineData("AUTH LOGIN", "AUTH LOGIN")]
    [InlineData("PASS s3cret", "PASS <redacted>")]
    [InlineData("a1 LOGIN ann secret", "a1 LOGIN <redacted>")]
    [InlineData("a2 AUTHENTICATE PLAIN AGFubgBwdw==", "a2 AUTHENTICATE PLAIN <redacted>")]
    [InlineData("EHLO client.example", "EHLO client.example")]
    public void SecretsInCommandLinesAreRedacted(string line, string shown) => Assert.Equal(shown, CheckTrace.Redact(line));

    [Fact]
    public void TheResultTableFitsAnEightyColumnTerminal()
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 80;
        const string Long = "relay to relay-test@mailroom-check.invalid accepted (250 2.1.5 Ok) but the check connects from 127.0.0.1, loopback, which mail servers trust by default";
        CheckResult[] results =
        [
            new("open relay", "smtp 25", CheckStatus.Warn, Long),
            new("tls", "submission 587", CheckStatus.Fail, "certificate CN=averyveryveryverylonghostname-without-any-spaces-at-all.mail.example.org expired"),
            new("connect", "imaps 993", CheckStatus.Pass, "connected in 3 ms"),
        ];

        CheckReport.WriteTable(results, console);

        string[] lines = output.ToString().Split(Environment.NewLine);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        string text = string.Concat(lines.Select(l => l.Replace("│", " ", StringComparison.Ordinal).Replace("|", " ", StringComparison.Ordinal)));
        string squeezed = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        Assert.Contains(string.Concat(Long.Where(c => !char.IsWhiteSpace(c))), squeezed, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("submission 587", StringComparison.Ordinal));
        Assert.Contains("1 passed, 1 warnings, 1 failed", output.ToString(), StringComparison.Ordinal);
    }
}
