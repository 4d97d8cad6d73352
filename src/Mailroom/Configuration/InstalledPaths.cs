namespace Mailroom.Configuration;

/// <summary>Where <c>mailroom install</c> puts things (Filesystem Hierarchy Standard), relative to the system's root.</summary>
internal static class InstalledPaths
{
    public const string ConfigurationDirectory = "/etc/mailroom";

    public const string ConfigurationFile = "/etc/mailroom/mailroom.json";

    public const string DataDirectory = "/var/lib/mailroom";

    public const string CacheDirectory = "/var/cache/mailroom";

    public const string UnitFile = "/etc/systemd/system/mailroom.service";

    public const string DefaultPrefix = "/usr/local";

    public const string ServiceUser = "mailroom";

    /// <summary>True on a machine where <c>mailroom install</c> has run: its configuration file exists.</summary>
    public static bool IsInstalled => File.Exists(ConfigurationFile);
}
