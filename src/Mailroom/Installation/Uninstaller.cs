using Mailroom.Cli;
using Mailroom.Hosting.Privileges;

namespace Mailroom.Installation;

/// <summary>
/// <c>mailroom uninstall</c>: removes the unit and the program, and keeps the mail, the directory database, the
/// configuration and the user (files may still be theirs), as Debian's <c>remove</c> does; <c>--purge</c> removes those
/// too. Running it again finds nothing left to do.
/// </summary>
internal static class Uninstaller
{
    /// <summary>
    /// Uninstalls from <paramref name="layout"/>, all but the program itself (<see cref="RemoveProgram"/>), and returns
    /// one line per thing done or kept.
    /// </summary>
    /// <exception cref="CliException">A step failed.</exception>
    public static async Task<IReadOnlyList<string>> UninstallAsync(InstallLayout layout, bool purge, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        bool systemdRuns = layout.IsSystemRoot && System.IO.Directory.Exists("/run/systemd/system");
        if (systemdRuns && File.Exists(layout.UnitFile))
        {
            await SystemctlAsync(["disable", "--now", ServiceUnit.Name], cancellationToken).ConfigureAwait(false);
            done.Add("stopped and disabled mailroom.service");
        }

        Remove(layout.UnitFile, done);
        int programLine = done.Count;
        if (systemdRuns)
        {
            await SystemctlAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false);
        }

        if (purge)
        {
            RemoveTree(layout.ConfigurationDirectory, done);
            RemoveTree(layout.DataDirectory, done);
            if (await InstalledAccount.RemoveAsync(layout, cancellationToken).ConfigureAwait(false))
            {
                done.Add($"removed the user {layout.UserName}");
            }
        }
        else
        {
            done.Add($"kept {layout.ConfigurationDirectory}, the data in {layout.DataDirectory} and the user {layout.UserName} (--purge removes them)");
        }

        if (File.Exists(layout.Binary))
        {
            done.Insert(programLine, $"removed {layout.Binary}");
        }

        return done;
    }

    /// <summary>
    /// Removes the program, last of all: it is usually this very process, a single file whose assemblies are read from
    /// it as they are first needed, so the caller writes and flushes its output first and loads nothing afterwards.
    /// </summary>
    public static void RemoveProgram(InstallLayout layout)
    {
        if (File.Exists(layout.Binary))
        {
            File.Delete(layout.Binary);
        }
    }

    private static void Remove(string path, List<string> done)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            done.Add($"removed {path}");
        }
    }

    private static void RemoveTree(string path, List<string> done)
    {
        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Delete(path, recursive: true);
            done.Add($"removed {path}");
        }
    }

    private static async Task SystemctlAsync(string[] arguments, CancellationToken cancellationToken)
    {
        string systemctl = SystemUserCreator.Find("systemctl") ?? "systemctl";
        (int exitCode, string error) = await SystemUserCreator.RunAsync(systemctl, arguments, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new CliException($"systemctl {string.Join(' ', arguments)} exited with {exitCode}: {error.Trim()}");
        }
    }
}
