using Mailroom.Configuration;

namespace Mailroom.Installation;

/// <summary>
/// The files of an installation under a root directory: <c>/</c> on a server, a temporary directory in tests and for
/// packagers (<c>--root</c>). <c>Installed*</c> paths are as the running system sees them (they go into the unit
/// text); the others are where this process writes them.
/// </summary>
internal sealed record InstallLayout(string Root, string Prefix, string UserName)
{
    public string InstalledBinary => Path.Combine(Prefix, "bin", "mailroom");

    public string Binary => UnderRoot(InstalledBinary);

    public string ConfigurationDirectory => UnderRoot(InstalledPaths.ConfigurationDirectory);

    public string ConfigurationFile => UnderRoot(InstalledPaths.ConfigurationFile);

    public string DataDirectory => UnderRoot(InstalledPaths.DataDirectory);

    public string UnitFile => UnderRoot(InstalledPaths.UnitFile);

    public bool IsSystemRoot => Root == "/";

    /// <summary>Validates the options: absolute root and prefix, a plain user name.</summary>
    /// <exception cref="Cli.CliException">One is unusable; the message says which.</exception>
    public static InstallLayout Create(string? root, string? prefix, string? userName)
    {
        string fullRoot = Path.GetFullPath(string.IsNullOrEmpty(root) ? "/" : root);
        string chosenPrefix = string.IsNullOrEmpty(prefix) ? InstalledPaths.DefaultPrefix : prefix;
        if (!Path.IsPathRooted(chosenPrefix))
        {
            throw new Cli.CliException($"--prefix must be an absolute path, not '{chosenPrefix}'");
        }

        string name = string.IsNullOrEmpty(userName) ? InstalledPaths.ServiceUser : userName;
        // useradd's own rule for portable names (shadow's is_valid_user_name): no root, nothing a shell would split.
        if (name == "root" || name.Length > 32 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') || name[0] == '-')
        {
            throw new Cli.CliException($"--user must be an unprivileged user name (letters, digits, _ and -), not '{name}'");
        }

        return new InstallLayout(fullRoot.Length > 1 ? fullRoot.TrimEnd('/') : fullRoot, Path.GetFullPath(chosenPrefix).TrimEnd('/'), name);
    }

    public string UnderRoot(string systemPath) => IsSystemRoot ? systemPath : Root + systemPath;
}
