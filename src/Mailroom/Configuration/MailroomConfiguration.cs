using Microsoft.Extensions.Configuration;

namespace Mailroom.Configuration;

/// <summary>
/// Builds the layered configuration: embedded defaults (paths under the data directory), then the optional JSON
/// file (comments allowed), then environment variables <c>MAILROOM__Section__Key</c>, then <c>--set Key=Value</c>
/// overrides from the command line; later layers win.
/// </summary>
internal static class MailroomConfiguration
{
    public const string EnvironmentPrefix = "MAILROOM__";

    public static IConfigurationRoot Build(DataPaths paths, string? configFile, IReadOnlyList<string> overrides)
    {
        var builder = new ConfigurationBuilder();
        builder.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Directory:DatabasePath"] = paths.Database,
            ["Store:MailRoot"] = paths.Mail,
            ["Queue:QueueDirectory"] = paths.Queue,
            ["Net:Tls:TlsDirectory"] = paths.Tls,
            ["Log:MaillogPath"] = paths.Maillog,
            ["Log:TraceDirectory"] = paths.Trace,
            ["Dkim:KeyDirectory"] = paths.Dkim,
            ["Srs:SecretFile"] = paths.SrsSecret,
        });

        if (configFile is not null)
        {
            string full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new ConfigurationException($"the configuration file {full} does not exist");
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(ParseOverrides(overrides));
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationException($"the configuration file {configFile} is not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException($"the configuration file {configFile} is not valid JSON: {ex.Message}", ex);
        }

        ConfigurationKeys.Validate(root);
        return root;
    }

    internal static Dictionary<string, string?> ParseOverrides(IReadOnlyList<string> overrides)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string item in overrides)
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ConfigurationException($"--set expects Section:Key=Value, got '{item}'");
            }

            values[item[..eq].Trim()] = item[(eq + 1)..];
        }

        return values;
    }
}
