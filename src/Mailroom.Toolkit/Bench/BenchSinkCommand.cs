using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Mailroom.Toolkit.Bench;

/// <summary>Builds <c>mailroom bench sink</c>.</summary>
internal static class BenchSinkCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on (0: any free port).", DefaultValueFactory = _ => 2525 };
        var listen = new Option<string>("--listen") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var hostName = new Option<string>("--hostname") { Description = "Name in the greeting and EHLO reply.", DefaultValueFactory = _ => "mailroom-sink" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print message and connection rates every second." };
        var mailFail = FailureOption("--mail-fail", "MAIL commands");
        var rcptFail = FailureOption("--rcpt-fail", "RCPT commands");
        var dataFail = FailureOption("--data-fail", "DATA commands (before the content)");
        var messageFail = FailureOption("--message-fail", "messages after their content (end of DATA, last BDAT)");
        var delay = new Option<double>("--delay", "-w") { Description = "Seconds to wait before answering each DATA command (like smtp-sink -w).", DefaultValueFactory = _ => 0 };
        var count = new Option<long>("--count") { Description = "Exit after this many accepted messages (0: run until Ctrl-C).", DefaultValueFactory = _ => 0 };
        var noStartTls = new Option<bool>("--no-starttls") { Description = "Do not offer STARTTLS (offered by default with a generated self-signed certificate)." };
        var implicitTls = new Option<bool>("--implicit-tls") { Description = "Speak TLS from the first byte, as on port 465." };
        var json = new Option<bool>("--json") { Description = "Print the totals as JSON." };

        var command = new Command("sink", "Accept and discard mail as fast as possible (like smtp-sink); prints totals on Ctrl-C or after --count messages.");
        foreach (Option option in new Option[] { port, listen, hostName, verbose, mailFail, rcptFail, dataFail, messageFail, delay, count, noStartTls, implicitTls, json })
        {
            command.Options.Add(option);
        }

        listen.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError("--listen takes an IP address.");
            }
        });
        OptionRules.AtLeast(port, 0);
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() > 65535)
            {
                result.AddError("--port must be at most 65535.");
            }
        });
        OptionRules.AtLeast(count, 0);
        delay.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() < 0)
            {
                result.AddError("--delay must not be negative.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new SinkSettings
            {
                Address = IPAddress.Parse(parse.GetValue(listen)!),
                Port = parse.GetValue(port),
                HostName = parse.GetValue(hostName)!,
                MailFailure = parse.GetValue(mailFail),
                RcptFailure = parse.GetValue(rcptFail),
                DataFailure = parse.GetValue(dataFail),
                MessageFailure = parse.GetValue(messageFail),
                DataDelay = TimeSpan.FromSeconds(parse.GetValue(delay)),
                Count = parse.GetValue(count) is > 0 and long n ? n : null,
                StartTls = !parse.GetValue(noStartTls),
                ImplicitTls = parse.GetValue(implicitTls),
            };
            TextWriter output = parse.InvocationConfiguration.Output;
            await using var sink = new SmtpSink(settings, TimeProvider.System);
            try
            {
                sink.Start();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"mailroom: cannot listen on {settings.Address}:{settings.Port}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            await parse.InvocationConfiguration.Error.WriteLineAsync($"listening on {sink.LocalEndPoint}").ConfigureAwait(false);
            long started = TimeProvider.System.GetTimestamp();
            await WaitAsync(sink, parse.GetValue(verbose) ? output : null, cancellationToken).ConfigureAwait(false);
            Print(sink.Stats, TimeProvider.System.GetElapsedTime(started), output, parse.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Option<FailureRule?> FailureOption(string name, string what) => new(name)
    {
        Description = $"Answer a share of {what} with an error: PERCENT%:CODE (10%:451) or CODE (all).",
        CustomParser = Parse,
    };

    private static FailureRule? Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (FailureRule.TryParse(text, out FailureRule? rule, out string? error))
        {
            return rule;
        }

        result.AddError(error!);
        return null;
    }

    /// <summary>Runs until the message count is reached or Ctrl-C; with a writer, prints rates each second.</summary>
    private static async Task WaitAsync(SmtpSink sink, TextWriter? rates, CancellationToken cancellationToken)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lastMessages = 0;
        long lastConnections = 0;
        Task<bool> nextTick = tick.WaitForNextTickAsync(CancellationToken.None).AsTask();
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        while (true)
        {
            Task done = await Task.WhenAny(sink.CountReached, cancelled, nextTick).ConfigureAwait(false);
            if (done != nextTick)
            {
                return;
            }

            if (rates is not null)
            {
                long messages = sink.Stats.Messages;
                long connections = sink.Stats.Connections;
                await rates.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{messages - lastMessages} messages/s, {connections - lastConnections} connections/s, {messages} messages total")).ConfigureAwait(false);
                lastMessages = messages;
                lastConnections = connections;
            }

            nextTick = tick.WaitForNextTickAsync(CancellationToken.None).AsTask();
        }
    }

    internal static void Print(SinkStats stats, TimeSpan elapsed, TextWriter output, bool json)
    {
        var totals = new Dictionary<string, object>
        {
            ["messages"] = stats.Messages,
            ["connections"] = stats.Connections,
            ["recipients"] = stats.Recipients,
            ["bytes"] = stats.Bytes,
            ["rejectedMail"] = stats.RejectedMail,
            ["rejectedRecipients"] = stats.RejectedRecipients,
            ["rejectedData"] = stats.RejectedData,
            ["rejectedMessages"] = stats.RejectedMessages,
            ["elapsedSeconds"] = Math.Round(elapsed.TotalSeconds, 3),
        };
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(totals));
            return;
        }

        foreach ((string key, object value) in totals)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key + ":",-20}{value}"));
        }
    }
}
