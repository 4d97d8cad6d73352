namespace Mailroom.Configuration;

/// <summary>
/// Which data directory a verb works on, and why, so that an admin verb on a server never opens an empty database in
/// whatever folder it was started from: <c>--data DIR</c>, else <c>MAILROOM_DATA</c>, else <c>/var/lib/mailroom</c>
/// where <c>mailroom install</c> has run (its <c>/etc/mailroom/mailroom.json</c> exists), else <c>./data</c> (a clone).
/// </summary>
internal sealed record DataDirectoryChoice(string Path, string Reason)
{
    public const string EnvironmentVariable = "MAILROOM_DATA";

    public static DataDirectoryChoice Resolve(string? option, string? environment, bool installed)
    {
        if (!string.IsNullOrEmpty(option))
        {
            return new DataDirectoryChoice(System.IO.Path.GetFullPath(option), "--data");
        }

        if (!string.IsNullOrEmpty(environment))
        {
            return new DataDirectoryChoice(System.IO.Path.GetFullPath(environment), EnvironmentVariable);
        }

        return installed
            ? new DataDirectoryChoice(InstalledPaths.DataDirectory, $"installed: {InstalledPaths.ConfigurationFile} exists")
            : new DataDirectoryChoice(System.IO.Path.GetFullPath("data"), "the default in the current directory");
    }

    /// <summary>The installed data directory goes with the installed configuration file, unless another is named.</summary>
    public string? DefaultConfigurationFile =>
        Path == InstalledPaths.DataDirectory && File.Exists(InstalledPaths.ConfigurationFile) ? InstalledPaths.ConfigurationFile : null;
}
