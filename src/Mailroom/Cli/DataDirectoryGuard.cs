using System.CommandLine;
using Mailroom.Configuration;

namespace Mailroom.Cli;

/// <summary>
/// Before an admin verb touches the data: says on stderr which data directory it uses and why, and refuses one
/// without a directory database (a typo, or a verb started from the wrong folder, would otherwise create an empty
/// one and report an empty server) unless <c>--create</c> asks for a new one.
/// </summary>
internal static class DataDirectoryGuard
{
    /// <summary>Null when the verb may go on; otherwise the one line to print.</summary>
    public static string? Check(ParseResult result, TextWriter diagnostics)
    {
        DataDirectoryChoice choice = Announce(result, diagnostics);
        if (result.GetValue(GlobalOptions.Create) || HasDatabase(result))
        {
            return null;
        }

        return $"no Mailroom database in {choice.Path}; pass --data DIR or set {DataDirectoryChoice.EnvironmentVariable}, or --create to start one here";
    }

    /// <summary>
    /// Says which data directory the verb uses and why (<c>serve</c> too, before it takes the directory: on an installed
    /// machine a <c>serve</c> started by hand works on the service's data, and this line says so before anything else).
    /// </summary>
    public static DataDirectoryChoice Announce(ParseResult result, TextWriter diagnostics)
    {
        DataDirectoryChoice choice = GlobalOptions.DataDirectory(result);
        diagnostics.WriteLine($"mailroom: using data directory {choice.Path} ({choice.Reason})");
        return choice;
    }

    private static bool HasDatabase(ParseResult result)
    {
        Microsoft.Extensions.Configuration.IConfigurationRoot configuration;
        try
        {
            configuration = GlobalOptions.Configuration(result);
        }
        catch (ConfigurationException)
        {
            // The verb reports the configuration error itself, in the same words as serve.
            return true;
        }

        // MariaDB and PostgreSQL directories live elsewhere and are never created by Mailroom.
        string? provider = configuration["Directory:Provider"];
        return (provider is not null && !string.Equals(provider, nameof(Directory.DirectoryProvider.Sqlite), StringComparison.OrdinalIgnoreCase)) ||
            File.Exists(configuration["Directory:DatabasePath"]);
    }
}
