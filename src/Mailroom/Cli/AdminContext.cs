using System.CommandLine;
using Mailroom.Directory;
using Mailroom.Directory.Admin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Cli;

/// <summary>
/// Opens the same directory database <c>serve</c> uses (same data directory and configuration), so admin verbs
/// work while the server runs: SQLite in WAL mode lets both processes in.
/// </summary>
internal static class AdminContext
{
    public static async Task<DirectoryAdmin> OpenAsync(ParseResult result, CancellationToken cancellationToken)
    {
        IConfigurationRoot configuration = GlobalOptions.Configuration(result);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.SectionName));
        services.AddMailroomDirectory();
        ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<DirectoryOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            throw new Configuration.ConfigurationException(string.Join("; ", ex.Failures));
        }

        DirectoryAdmin admin = provider.GetRequiredService<DirectoryAdmin>();
        await admin.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return admin;
    }
}
