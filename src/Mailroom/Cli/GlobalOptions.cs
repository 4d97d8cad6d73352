using System.CommandLine;
using Mailroom.Configuration;
using Microsoft.Extensions.Configuration;

namespace Mailroom.Cli;

/// <summary>Options every verb takes, so that admin verbs and <c>serve</c> agree on the same data directory.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "The data directory (directory database, queue, mailboxes, TLS files, mail log). Default: $MAILROOM_DATA, " +
            "else /var/lib/mailroom where `mailroom install` has run, else ./data.",
        Recursive = true,
        HelpName = "DIR",
    };

    public static readonly Option<bool> Create = new("--create")
    {
        Description = "Let an admin verb start a new directory database in a data directory that has none (serve always does).",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "An optional JSON configuration file (comments allowed). Default: /etc/mailroom/mailroom.json with the installed data directory.",
        Recursive = true,
        HelpName = "FILE",
    };

    public static readonly Option<string[]> Set = new("--set")
    {
        Description = "Override one configuration key, e.g. --set Smtp:Port=2525 (repeatable).",
        Recursive = true,
        HelpName = "KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    public static DataDirectoryChoice DataDirectory(ParseResult result) =>
        DataDirectoryChoice.Resolve(result.GetValue(Data), Environment.GetEnvironmentVariable(DataDirectoryChoice.EnvironmentVariable), InstalledPaths.IsInstalled);

    public static DataPaths Paths(ParseResult result) => DataPaths.From(DataDirectory(result).Path);

    public static IConfigurationRoot Configuration(ParseResult result) =>
        MailroomConfiguration.Build(Paths(result), result.GetValue(Config) ?? DataDirectory(result).DefaultConfigurationFile, result.GetValue(Set) ?? []);
}
