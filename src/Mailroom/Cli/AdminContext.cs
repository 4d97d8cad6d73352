using System.CommandLine;
using Mailroom.Directory;
using Mailroom.Directory.Admin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Cli;

/// <summary>
/// Opens the same directory database <c>serve</c> uses (same data directory and configuration: SQLite, MySQL or
/// PostgreSQL), so admin verbs work while the server runs: SQLite in WAL mode lets both processes in.
/// </summary>
internal static class AdminContext
{
    public static Task<DirectoryAdmin> OpenAsync(ParseResult result, CancellationToken cancellationToken)
        => OpenAsync(GlobalOptions.Configuration(result), cancellationToken);

    /// <summary>Opens (and creates or migrates, for SQLite) the directory database that configuration names.</summary>
    public static async Task<DirectoryAdmin> OpenAsync(IConfigurationRoot configuration, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.SectionName));
        services.AddMailroomDirectory();
        ServiceProvider provider = services.BuildServiceProvider();
        DirectoryAdmin admin;
        try
        {
            _ = provider.GetRequiredService<IOptions<DirectoryOptions>>().Value;
            admin = provider.GetRequiredService<DirectoryAdmin>();
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException &&
            Configuration.ConfigurationErrors.Describe(ex, configuration) is { } message)
        {
            // Same one-line wording as serve: "Directory:CacheTtl: must be between ...".
            throw new Configuration.ConfigurationException(message);
        }

        await admin.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return admin;
    }
}
