using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Mailroom.Toolkit.Check;

/// <summary>Builds <c>mailroom check</c>.</summary>
internal static class CheckCommand
{
    private static readonly (string Name, ServiceProtocol Protocol, int Port, bool ImplicitTls)[] s_services =
    [
        ("smtp", ServiceProtocol.Smtp, 25, false),
        ("submission", ServiceProtocol.Smtp, 587, false),
        ("smtps", ServiceProtocol.Smtp, 465, true),
        ("pop3", ServiceProtocol.Pop3, 110, false),
        ("pop3s", ServiceProtocol.Pop3, 995, true),
        ("imap", ServiceProtocol.Imap, 143, false),
        ("imaps", ServiceProtocol.Imap, 993, true),
    ];

    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "Mail server to validate." };
        var command = new Command("check", "Validate a mail server: connectivity, TLS, open relay, submission, receipt round trip, exposed ports. Exit code 0 only when nothing FAILs.");
        command.Arguments.Add(host);
        var ports = new Dictionary<string, Option<int>>();
        foreach ((string name, _, int port, _) in s_services)
        {
            var option = new Option<int>($"--{name}-port") { Description = $"Port of {name}.", DefaultValueFactory = _ => port };
            ports[name] = option;
            command.Options.Add(option);
        }

        var skip = new Option<string?>("--skip") { Description = "Comma-separated parts to skip: smtp, submission, smtps, pop3, pop3s, imap, imaps, relay, scan." };
        var to = new Option<string?>("--to") { Description = "Mailbox address for the receipt round trip (needs --user and --pass)." };
        var user = new Option<string?>("--user") { Description = "Login of the --to mailbox, also used for the submission AUTH test." };
        var pass = new Option<string?>("--pass") { Description = "Password for --user." };
        var from = new Option<string>("--from") { Description = "Envelope sender of test messages.", DefaultValueFactory = _ => "mailroom-check@mailroom-check.invalid" };
        var relayTo = new Option<string>("--relay-to") { Description = "Outside address the open-relay attempts target (never receives anything: no DATA is sent).", DefaultValueFactory = _ => "relay-test@mailroom-check.invalid" };
        var expectPorts = new Option<string?>("--expect-ports") { Description = "Comma-separated ports expected open besides the checked services." };
        var scanPorts = new Option<string?>("--scan-ports") { Description = "Comma-separated ports for the exposure scan (default: 21,22,23,25,53,80,110,111,143,443,465,587,993,995,2525,3306,4190,5432,6379,8080)." };
        var log = new Option<string?>("--log") { Description = "Mail log file: the round trip's queue id must appear with status=sent." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds allowed for each network step.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var trace = new Option<bool>("--trace") { Description = "Print every line of every exchange, [target] C: and S:, passwords and SASL responses redacted." };
        var untrustedSource = new Option<bool>("--untrusted-source")
        {
            Description = "The server does not trust this machine's address: relaying it allows is a FAIL even when the check runs on the mail host (default: a WARN there).",
        };
        foreach (Option option in new Option[] { skip, to, user, pass, from, relayTo, expectPorts, scanPorts, log, timeout, untrustedSource, json, trace })
        {
            command.Options.Add(option);
        }

        foreach (Option<string?> list in new[] { expectPorts, scanPorts })
        {
            list.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string?>() is { } text && !TryParsePorts(text, out _))
                {
                    result.AddError($"{list.Name} takes comma-separated port numbers.");
                }
            });
        }

        relayTo.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>()?.Contains('@', StringComparison.Ordinal) != true)
            {
                result.AddError("--relay-to takes an address user@domain.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            HashSet<string> skipped = [.. (parse.GetValue(skip) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant())];
            var settings = new CheckSettings
            {
                Host = parse.GetValue(host)!,
                Services = [.. s_services.Where(s => !skipped.Contains(s.Name)).Select(s => new ServiceSpec(s.Name, s.Protocol, parse.GetValue(ports[s.Name]), s.ImplicitTls))],
                To = parse.GetValue(to),
                User = parse.GetValue(user),
                Password = parse.GetValue(pass),
                From = parse.GetValue(from)!,
                RelayTo = parse.GetValue(relayTo)!,
                ExpectPorts = parse.GetValue(expectPorts) is { } e && TryParsePorts(e, out int[] expected) ? expected : [],
                ScanPorts = parse.GetValue(scanPorts) is { } s && TryParsePorts(s, out int[] scan) ? scan : CheckSettings.DefaultScanPorts,
                Relay = !skipped.Contains("relay"),
                UntrustedSource = parse.GetValue(untrustedSource),
                Scan = !skipped.Contains("scan"),
                LogFile = parse.GetValue(log),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Trace = parse.GetValue(trace) ? new CheckTrace(parse.InvocationConfiguration.Output) : null,
            };
            TextWriter output = parse.InvocationConfiguration.Output;
            var runner = new CheckRunner(settings, TimeProvider.System);
            IReadOnlyList<CheckResult> results = await RunWithProgressAsync(runner, output, showStatus: settings.Trace is null, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(CheckReport.ToJson(settings.Host, results)).ConfigureAwait(false);
            }
            else
            {
                CheckReport.WriteTable(results, ConsoleFor(output));
            }

            return results.Any(r => r.Status == CheckStatus.Fail) ? 1 : 0;
        });
        return command;
    }

    internal static bool TryParsePorts(string text, out int[] ports)
    {
        var list = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                ports = [];
                return false;
            }

            list.Add(port);
        }

        ports = [.. list];
        return true;
    }

    private static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    private static IAnsiConsole ConsoleFor(TextWriter output) => IsTerminal(output)
        ? AnsiConsole.Console
        : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });

    /// <summary>On a terminal a status line names the step under way, unless the trace is printing lines there.</summary>
    private static async Task<IReadOnlyList<CheckResult>> RunWithProgressAsync(CheckRunner runner, TextWriter output, bool showStatus, CancellationToken cancellationToken)
    {
        if (!showStatus || !IsTerminal(output))
        {
            return await runner.RunAsync(_ => { }, cancellationToken).ConfigureAwait(false);
        }

        return await AnsiConsole.Status().StartAsync("checking", context =>
            runner.RunAsync(step => context.Status(Markup.Escape(step)), cancellationToken)).ConfigureAwait(false);
    }
}
