using System.CommandLine;
using Mailroom.Logging;

namespace Mailroom.Cli;

/// <summary><c>mailroom log [-f] [-n N]</c>: tail the mail log the server writes.</summary>
internal static class LogCommand
{
    public static Command Create()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing lines as they are appended (survives log rotation)." };
        var lines = new Option<int>("--lines", "-n") { Description = "How many of the last lines to print first.", DefaultValueFactory = _ => 10 };
        var command = new Command("log", "Show the mail log (like tail), optionally following it.") { follow, lines };
        command.SetAction(async (result, cancellationToken) =>
        {
            var configuration = GlobalOptions.Configuration(result);
            string path = configuration["Log:MaillogPath"] ?? GlobalOptions.Paths(result).Maillog;
            var follower = new LogFollower(path, Console.Out);
            return await follower.RunAsync(result.GetValue(lines), result.GetValue(follow), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
