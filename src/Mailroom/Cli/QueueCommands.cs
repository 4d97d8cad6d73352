using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mailroom.Queue.Admin;
using Microsoft.Extensions.Configuration;

namespace Mailroom.Cli;

/// <summary>
/// <c>mailroom queue list|flush|delete|hold|release</c> (Postfix's mailq, postqueue -f and postsuper). Safe
/// while the server runs: <see cref="QueueAdmin"/> asks the running queue manager, or edits a stopped queue.
/// </summary>
internal static class QueueCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("queue", "Inspect and manage the mail queue (safe while the server runs).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Flush());
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Hold());
        command.Subcommands.Add(Release());
        return command;
    }

    private static QueueAdmin Admin(ParseResult result)
    {
        IConfigurationRoot configuration = GlobalOptions.Configuration(result);
        string directory = configuration["Queue:QueueDirectory"] is { Length: > 0 } configured ? configured : GlobalOptions.Paths(result).Queue;
        return new QueueAdmin(directory);
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print the queue as JSON." };
        var command = new Command("list", "List queued messages with their pending recipients and last errors (like mailq).") { json };
        command.SetAction((result, ct) => RunAsync(async () =>
        {
            IReadOnlyList<QueuedMessageInfo> messages = await Admin(result).ListAsync(ct).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(messages, Json)).ConfigureAwait(false);
                return 0;
            }

            if (messages.Count == 0)
            {
                await Console.Out.WriteLineAsync("Mail queue is empty").ConfigureAwait(false);
                return 0;
            }

            bool spamToJunk = SpamToJunkByDefault(GlobalOptions.Configuration(result));
            TextTable.Write(
                Console.Out,
                ["QUEUE ID", "STATE", "SIZE", "ARRIVAL", "SENDER / RECIPIENTS"],
                messages.SelectMany(m => Rows(m, spamToJunk)));
            long total = messages.Sum(m => m.Size);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"-- {(total + 1023) / 1024} Kbytes in {messages.Count} Requests.")).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary><c>Delivery:SpamToJunk</c> as the server reads it (default true).</summary>
    private static bool SpamToJunkByDefault(IConfiguration configuration) =>
        !bool.TryParse(configuration["Delivery:SpamToJunk"], out bool configured) || configured;

    /// <summary>The lines of one message: its own, its states in brackets (as mailq shows a hold), then its recipients.</summary>
    /// <param name="spamToJunk"><c>Delivery:SpamToJunk</c>: where spam-marked mail goes for users who did not choose.</param>
    internal static IEnumerable<string[]> Rows(QueuedMessageInfo message, bool spamToJunk)
    {
        string arrival = message.ArrivalTime.ToLocalTime().ToString("ddd MMM d HH:mm:ss", CultureInfo.InvariantCulture);
        yield return [message.Id, message.State, message.Size.ToString(CultureInfo.InvariantCulture), arrival, message.Sender.Length == 0 ? "MAILER-DAEMON" : message.Sender];
        if (message.HoldReason is not null)
        {
            yield return ["", "", "", "", $"[held by milter: {message.HoldReason}]"];
        }

        if (message.Authentication is not null)
        {
            yield return ["", "", "", "", $"[{message.Authentication}{(message.Quarantine ? "; quarantined to Junk" : "")}]"];
        }

        if (message.Spam && !message.Quarantine)
        {
            // Each local recipient's own switch (mailroom user junk) decides; the site's default for the others.
            yield return ["", "", "", "", spamToJunk
                ? "[marked as spam: to Junk (INBOX for users whose junk setting is off)]"
                : "[marked as spam: to INBOX (Junk for users whose junk setting is on)]"];
        }

        foreach (QueuedRecipientInfo recipient in message.Recipients)
        {
            if (recipient.LastError is not null)
            {
                yield return ["", "", "", "", $"({recipient.Dsn} {recipient.LastError})"];
            }

            yield return ["", "", "", "", "  " + recipient.Address];
        }
    }

    private static Command Flush()
    {
        var command = new Command("flush", "Retry deferred mail now (like postqueue -f).");
        command.SetAction((result, ct) => RunAsync(async () =>
        {
            QueueAdminResult done = await Admin(result).FlushAsync(ct).ConfigureAwait(false);
            await Report(done, "scheduled for delivery", "made due for the next server start").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id") { Description = "The queue id, or ALL for every message." };
        var command = new Command("delete", "Delete a message from the queue (like postsuper -d).") { id };
        command.SetAction((result, ct) => RunAsync(async () =>
        {
            QueueAdminResult done = await Admin(result).DeleteAsync(result.GetValue(id)!, ct).ConfigureAwait(false);
            await Report(done, "deleted", "deleted").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Hold()
    {
        var id = new Argument<string>("id") { Description = "The queue id." };
        var command = new Command("hold", "Keep a message in the queue without delivering it (like postsuper -h).") { id };
        command.SetAction((result, ct) => RunAsync(async () =>
        {
            QueueAdminResult done = await Admin(result).HoldAsync(result.GetValue(id)!, ct).ConfigureAwait(false);
            await Report(done, "put on hold", "put on hold").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Release()
    {
        var id = new Argument<string>("id") { Description = "The queue id of a held message." };
        var command = new Command("release", "Release a held message for delivery (like postsuper -H).") { id };
        command.SetAction((result, ct) => RunAsync(async () =>
        {
            QueueAdminResult done = await Admin(result).ReleaseAsync(result.GetValue(id)!, ct).ConfigureAwait(false);
            await Report(done, "released", "released for the next server start").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Task Report(QueueAdminResult done, string running, string stopped) =>
        Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{done.Count} message(s) {(done.ServerRunning ? running : stopped)}"));

    private static Task<int> RunAsync(Func<Task<int>> body) => CommandLine.RunAsync(async () =>
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (QueueAdminException ex)
        {
            throw new CliException(ex.Message, ex);
        }
        catch (IOException ex)
        {
            throw new CliException("queue: " + ex.Message, ex);
        }
    });
}
