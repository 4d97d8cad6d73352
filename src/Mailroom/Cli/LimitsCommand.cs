using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mailroom.Core;
using Mailroom.Queue.Admin;
using Microsoft.Extensions.Configuration;

namespace Mailroom.Cli;

/// <summary>
/// <c>mailroom limits</c>: the running server's hourly sending counters (users and client addresses with part of their
/// allowance spent), asked over the queue's control socket, as <c>mailroom queue list</c> is.
/// </summary>
internal static class LimitsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the counters as JSON." };
        var command = new Command("limits", "Show the running server's sending-limit counters (SendingLimits:*), most used first.") { json };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            IConfigurationRoot configuration = GlobalOptions.Configuration(result);
            string directory = configuration["Queue:QueueDirectory"] is { Length: > 0 } configured ? configured : GlobalOptions.Paths(result).Queue;
            (IReadOnlyList<SendingCounterInfo> counters, bool running) = await Run(() => new QueueAdmin(directory).SendingCountersAsync(ct)).ConfigureAwait(false);
            if (!running)
            {
                throw new CliException("no server is running on this data directory: the counters live in its memory");
            }

            IEnumerable<SendingCounterInfo> ordered = counters.OrderByDescending(c => (double)c.Used / c.Limit).ThenBy(c => c.Sender, StringComparer.Ordinal);
            if (result.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(ordered, Json)).ConfigureAwait(false);
                return 0;
            }

            if (counters.Count == 0)
            {
                await Console.Out.WriteLineAsync("No sender has used any of its hourly allowance").ConfigureAwait(false);
                return 0;
            }

            TextTable.Write(
                Console.Out,
                ["SENDER", "SCOPE", "KIND", "USED", "LIMIT/HOUR"],
                ordered.Select(c => new[] { c.Sender, c.Scope, c.Kind, c.Used.ToString(CultureInfo.InvariantCulture), c.Limit.ToString(CultureInfo.InvariantCulture) }));
            return 0;
        }));
        return command;
    }

    private static async Task<T> Run<T>(Func<Task<T>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (QueueAdminException ex)
        {
            throw new CliException(ex.Message);
        }
    }
}
