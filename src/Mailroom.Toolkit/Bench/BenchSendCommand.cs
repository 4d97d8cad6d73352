using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HdrHistogram;
using Spectre.Console;

namespace Mailroom.Toolkit.Bench;

/// <summary>Builds <c>mailroom bench send</c>.</summary>
internal static class BenchSendCommand
{
    public static Command Create()
    {
        var server = new Argument<string>("SERVER") { Description = "Host name or address of the SMTP server to load." };
        var senders = new Option<int>("--senders", "-s") { Description = "Parallel senders.", DefaultValueFactory = _ => 1 };
        var connections = new Option<int>("--connections", "-c") { Description = "Connections each sender opens, one after another.", DefaultValueFactory = _ => 1 };
        var messages = new Option<int>("--messages", "-m") { Description = "Messages sent on each connection.", DefaultValueFactory = _ => 1 };
        var bodySize = new Option<int>("--body-size", "-b") { Description = "Message body size in bytes.", DefaultValueFactory = _ => 1024 };
        var timeLimit = new Option<int>("--time", "-t") { Description = "Time limit in seconds; no new message starts after it (0: none).", DefaultValueFactory = _ => 0 };
        var port = new Option<int>("--port", "-p") { Description = "Server port.", DefaultValueFactory = _ => 25 };
        var from = new Option<string>("--from", "-F") { Description = "Envelope and header sender.", DefaultValueFactory = _ => "bench@mailroom.invalid" };
        var to = new Option<string[]>("--to", "-T") { Description = "Recipient (repeatable).", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => ["sink@mailroom.invalid"] };
        var subject = new Option<string>("--subject", "-S") { Description = "Subject header.", DefaultValueFactory = _ => "mailroom bench" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print connection failures." };
        var veryVerbose = new Option<bool>("--very-verbose", "-vv") { Description = "Print every failed reply too." };
        var tls = new Option<string?>("--tls") { Description = "Secure each connection: starttls or implicit." };
        tls.AcceptOnlyFromAmong("starttls", "implicit");
        var auth = new Option<string?>("--auth") { Description = "AUTH PLAIN credentials as user:pass." };
        var noPipelining = new Option<bool>("--no-pipelining") { Description = "Wait for each reply even when the server offers PIPELINING (RFC 2920)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };

        var command = new Command("send", "Send messages to an SMTP server as fast as it takes them and report throughput and latency (like smtp-source).");
        command.Arguments.Add(server);
        foreach (Option option in new Option[] { senders, connections, messages, bodySize, timeLimit, port, from, to, subject, verbose, veryVerbose, tls, auth, noPipelining, json })
        {
            command.Options.Add(option);
        }

        OptionRules.AtLeast(senders, 1);
        OptionRules.AtLeast(connections, 1);
        OptionRules.AtLeast(messages, 1);
        OptionRules.AtLeast(bodySize, 0);
        OptionRules.AtLeast(timeLimit, 0);
        auth.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } a && !a.Contains(':', StringComparison.Ordinal))
            {
                result.AddError("--auth takes user:pass.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            string? credentials = parse.GetValue(auth);
            int colon = credentials?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            var settings = new BenchSendSettings
            {
                Server = parse.GetValue(server)!,
                Port = parse.GetValue(port),
                Senders = parse.GetValue(senders),
                ConnectionsPerSender = parse.GetValue(connections),
                MessagesPerConnection = parse.GetValue(messages),
                BodySize = parse.GetValue(bodySize),
                TimeLimit = parse.GetValue(timeLimit) is > 0 and int seconds ? TimeSpan.FromSeconds(seconds) : null,
                From = parse.GetValue(from)!,
                To = parse.GetValue(to)!,
                Subject = parse.GetValue(subject)!,
                Verbosity = parse.GetValue(veryVerbose) ? 2 : parse.GetValue(verbose) ? 1 : 0,
                Tls = parse.GetValue(tls) switch { "starttls" => TlsMode.StartTls, "implicit" => TlsMode.Implicit, _ => TlsMode.None },
                AuthUser = colon > 0 ? credentials![..colon] : null,
                AuthPassword = colon > 0 ? credentials![(colon + 1)..] : null,
                Pipelining = !parse.GetValue(noPipelining),
            };
            TextWriter output = parse.InvocationConfiguration.Output;
            var sender = new BenchSender(settings, parse.InvocationConfiguration.Error, TimeProvider.System);
            BenchSendResult result = await RunWithProgressAsync(sender, settings, output, cancellationToken).ConfigureAwait(false);
            Print(result, output, parse.GetValue(json));
            return result.Failed == 0 && result.FailedConnections == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>
    /// On a terminal, a progress bar (of the messages planned, or of the time limit) with the messages sent and failed
    /// and the rate of the last half second; otherwise nothing until the result, so that piped output is only the
    /// result's lines (or its JSON) for scripts to parse.
    /// </summary>
    internal static async Task<BenchSendResult> RunWithProgressAsync(BenchSender sender, BenchSendSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        Task<BenchSendResult> run = sender.RunAsync(cancellationToken);
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
        {
            return await run.ConfigureAwait(false);
        }

        long planned = (long)settings.Senders * settings.ConnectionsPerSender * settings.MessagesPerConnection;
        double total = settings.TimeLimit is { } limit ? limit.TotalSeconds : planned;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask("sending", maxValue: Math.Max(total, 1));
                var rate = new BenchRate(TimeProvider.System);
                long started = TimeProvider.System.GetTimestamp();
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(500, CancellationToken.None)).ConfigureAwait(false);
                    long sent = sender.Progress.Sent;
                    long failed = sender.Progress.Failed;
                    task.Description = Markup.Escape(BenchRate.Describe(sent, failed, rate.Sample(sent + failed)));
                    task.Value = settings.TimeLimit is null ? sent + failed : TimeProvider.System.GetElapsedTime(started).TotalSeconds;
                }

                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return await run.ConfigureAwait(false);
    }

    internal static void Print(BenchSendResult result, TextWriter output, bool json)
    {
        if (json)
        {
            var document = new Dictionary<string, object>
            {
                ["sent"] = result.Sent,
                ["failed"] = result.Failed,
                ["connections"] = result.Connections,
                ["failedConnections"] = result.FailedConnections,
                ["bytes"] = result.Bytes,
                ["elapsedSeconds"] = Math.Round(result.Elapsed.TotalSeconds, 6),
                ["messagesPerSecond"] = Math.Round(result.MessagesPerSecond, 3),
                ["megabytesPerSecond"] = Math.Round(result.MegabytesPerSecond, 3),
                ["messageLatencyMs"] = Percentiles(result.MessageLatency),
                ["connectionLatencyMs"] = Percentiles(result.ConnectionLatency),
            };
            output.WriteLine(JsonSerializer.Serialize(document));
            return;
        }

        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"sent:         {result.Sent} messages, {result.Failed} failed"));
        output.WriteLine(string.Create(c, $"connections:  {result.Connections}, {result.FailedConnections} failed"));
        output.WriteLine(string.Create(c, $"elapsed:      {result.Elapsed.TotalSeconds:F3} s"));
        output.WriteLine(string.Create(c, $"throughput:   {result.MessagesPerSecond:F1} messages/s, {result.MegabytesPerSecond:F2} MB/s"));
        output.WriteLine(FormatLatency("message latency:   ", result.MessageLatency));
        output.WriteLine(FormatLatency("connection latency:", result.ConnectionLatency));
    }

    private static string FormatLatency(string label, LongHistogram histogram)
    {
        Dictionary<string, double> p = Percentiles(histogram);
        return string.Create(CultureInfo.InvariantCulture, $"{label} p50 {p["p50"]:F3} ms, p90 {p["p90"]:F3} ms, p99 {p["p99"]:F3} ms, max {p["max"]:F3} ms");
    }

    private static Dictionary<string, double> Percentiles(LongHistogram histogram)
    {
        double Ms(long micros) => Math.Round(micros / 1000.0, 3);
        bool empty = histogram.TotalCount == 0;
        return new Dictionary<string, double>
        {
            ["p50"] = empty ? 0 : Ms(histogram.GetValueAtPercentile(50)),
            ["p90"] = empty ? 0 : Ms(histogram.GetValueAtPercentile(90)),
            ["p99"] = empty ? 0 : Ms(histogram.GetValueAtPercentile(99)),
            ["max"] = empty ? 0 : Ms(histogram.GetMaxValue()),
        };
    }
}
