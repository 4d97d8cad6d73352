using System.CommandLine;
using Mailroom.Configuration;
using Mailroom.Hosting.Privileges;
using Mailroom.Installation;

namespace Mailroom.Cli;

/// <summary><c>mailroom install</c> and <c>mailroom uninstall</c>: the program as a systemd service (README, "Install on a server").</summary>
internal static class InstallCommands
{
    private static readonly Option<string?> Root = new("--root")
    {
        Description = "Install into this directory as if it were / (packagers, tests); its etc/passwd and etc/group must exist.",
        HelpName = "DIR",
    };

    private static readonly Option<string?> Prefix = new("--prefix")
    {
        Description = $"Where the program goes: PREFIX/bin/mailroom (default {InstalledPaths.DefaultPrefix}).",
        HelpName = "DIR",
    };

    private static readonly Option<string?> User = new("--user")
    {
        Description = $"The service user and group (default {InstalledPaths.ServiceUser}).",
        HelpName = "NAME",
    };

    public static Command CreateInstall()
    {
        var command = new Command(
            "install",
            $"As root: install this program to PREFIX/bin/mailroom, create the system user, {InstalledPaths.ConfigurationFile}, " +
            $"{InstalledPaths.DataDirectory} (0700) and {InstalledPaths.UnitFile}. Running it again repairs and keeps the configuration and data.")
        {
            Root, Prefix, User,
        };
        command.SetAction((result, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            InstallLayout layout = Layout(result, "install", $"it creates the system user and writes {InstalledPaths.ConfigurationDirectory}, {InstalledPaths.DataDirectory} and the systemd unit");
            foreach (string line in await Installer.InstallAsync(layout, cancellationToken).ConfigureAwait(false))
            {
                await Console.Out.WriteLineAsync($"mailroom: {line}").ConfigureAwait(false);
            }

            if (layout.IsSystemRoot)
            {
                await Console.Out.WriteLineAsync("next: edit /etc/mailroom/mailroom.json, then `systemctl daemon-reload && systemctl enable --now mailroom`").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    public static Command CreateUninstall()
    {
        var purge = new Option<bool>("--purge") { Description = "Also remove the configuration, the data (all mail) and the user." };
        var command = new Command("uninstall", "As root: stop the service and remove the unit and the program; the configuration, data and user stay unless --purge.")
        {
            Root, Prefix, User, purge,
        };
        command.SetAction((result, cancellationToken) => CommandLine.RunAsync(async () =>
        {
            InstallLayout layout = Layout(result, "uninstall", "it stops the service and removes the systemd unit and the program");
            foreach (string line in await Uninstaller.UninstallAsync(layout, result.GetValue(purge), cancellationToken).ConfigureAwait(false))
            {
                await Console.Out.WriteLineAsync($"mailroom: {line}").ConfigureAwait(false);
            }

            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            Uninstaller.RemoveProgram(layout);

            return 0;
        }));
        return command;
    }

    /// <summary>The layout; as anyone but root, one line saying why root is needed (<c>--root</c> too: useradd and chown need it).</summary>
    private static InstallLayout Layout(ParseResult result, string verb, string why)
    {
        if (!LeastPrivilege.IsRoot)
        {
            throw new CliException($"{verb} must run as root ({why}): sudo mailroom {verb}");
        }

        return InstallLayout.Create(result.GetValue(Root), result.GetValue(Prefix), result.GetValue(User));
    }
}
