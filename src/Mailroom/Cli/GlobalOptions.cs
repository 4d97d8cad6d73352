using System.CommandLine;
using Mailroom.Configuration;
using Microsoft.Extensions.Configuration;

namespace Mailroom.Cli;

/// <summary>Options every verb takes, so that admin verbs and <c>serve</c> agree on the same data directory.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string> Data = new("--data")
    {
        Description = "The data directory (directory database, queue, mailboxes, TLS files, mail log).",
        DefaultValueFactory = _ => "data",
        Recursive = true,
        HelpName = "DIR",
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "An optional JSON configuration file (comments allowed).",
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

    public static DataPaths Paths(ParseResult result) => DataPaths.From(result.GetValue(Data));

    public static IConfigurationRoot Configuration(ParseResult result) =>
        MailroomConfiguration.Build(Paths(result), result.GetValue(Config), result.GetValue(Set) ?? []);
}
