using System.Net;
using Mailroom.Cli;
using Mailroom.Configuration;
using Mailroom.Hosting.Privileges;
using Microsoft.Data.Sqlite;

namespace Mailroom.Installation;

/// <summary>
/// <c>mailroom install</c>: the program, the service user, the configuration, the data directory with an empty
/// directory database, and the systemd unit. Every step looks before it acts, so running it again repairs modes and
/// owners, rewrites the unit and the program, and leaves the admin's configuration and the data as they are.
/// </summary>
internal static class Installer
{
    private const UnixFileMode Public = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode ReadableByGroup = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private const UnixFileMode PublicFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode GroupDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Installs into <paramref name="layout"/> and returns one line per thing done, for the admin.</summary>
    /// <exception cref="CliException">A step failed; the message says which.</exception>
    public static async Task<IReadOnlyList<string>> InstallAsync(InstallLayout layout, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        done.Add(InstallProgram(layout));

        (uint uid, uint gid, bool created) = await InstalledAccount.EnsureAsync(layout, cancellationToken).ConfigureAwait(false);
        done.Add(created ? $"created the system user and group {layout.UserName} (uid {uid}, gid {gid})" : $"the user {layout.UserName} exists (uid {uid}, gid {gid})");

        // /etc/mailroom 0750 root:mailroom, the file 0640: the service reads it again on SIGHUP as its own user, and it may
        // hold a database password, so others read neither.
        CreateDirectory(layout.ConfigurationDirectory, GroupDirectory);
        Own(layout.ConfigurationDirectory, 0, gid);
        if (!File.Exists(layout.ConfigurationFile))
        {
            WriteAtomically(layout.ConfigurationFile, ConfigurationTemplate.Render(Dns.GetHostName()), ReadableByGroup);
            done.Add($"wrote {layout.ConfigurationFile}");
        }
        else
        {
            done.Add($"kept {layout.ConfigurationFile}");
        }

        Own(layout.ConfigurationFile, 0, gid);

        CreateDirectory(layout.DataDirectory, Private);
        SetMode(layout.DataDirectory, Private);
        Own(layout.DataDirectory, uid, gid);
        string database = DataPaths.From(layout.DataDirectory).Database;
        if (!File.Exists(database))
        {
            await CreateDatabaseAsync(layout, database, uid, gid, cancellationToken).ConfigureAwait(false);
            done.Add($"created the data directory {layout.DataDirectory} (0700, {layout.UserName}) with an empty directory database");
        }
        else
        {
            done.Add($"kept the data directory {layout.DataDirectory} (0700, {layout.UserName})");
        }

        WriteAtomically(layout.UnitFile, ServiceUnit.Render(layout), PublicFile);
        done.Add($"wrote {layout.UnitFile}");
        return done;
    }

    /// <summary>
    /// Copies the running program when it is the published single file; a program run by <c>dotnet mailroom.dll</c>
    /// is a build output of many files, which is not copied: the admin is told where the unit expects the program.
    /// </summary>
    private static string InstallProgram(InstallLayout layout)
    {
        string? running = Environment.ProcessPath;
        // A single-file bundle carries its assemblies inside the program: none lies beside it on disk (and
        // Assembly.Location is empty there, which the trimming analyzers forbid asking).
        bool singleFile = !File.Exists(Path.Combine(AppContext.BaseDirectory, typeof(Installer).Assembly.GetName().Name + ".dll"));
        if (!singleFile || running is null)
        {
            return File.Exists(layout.Binary)
                ? $"kept {layout.Binary} (this mailroom is not a published single file, so it was not copied)"
                : $"did not copy the program: this mailroom is not a published single file; `dotnet publish -c Release src/Mailroom -o DIR` and run DIR/mailroom install, or put it at {layout.Binary}";
        }

        if (string.Equals(Path.GetFullPath(running), layout.Binary, StringComparison.Ordinal))
        {
            return $"kept {layout.Binary} (the running program)";
        }

        CreateDirectory(Path.GetDirectoryName(layout.Binary)!, Public);
        // A new file renamed over the old: a running server keeps its program, and a half-copied file is never run.
        string temporary = layout.Binary + ".new";
        File.Copy(running, temporary, overwrite: true);
        SetMode(temporary, Public);
        Own(temporary, 0, 0);
        File.Move(temporary, layout.Binary, overwrite: true);
        return $"installed {layout.Binary}";
    }

    private static async Task CreateDatabaseAsync(InstallLayout layout, string database, uint uid, uint gid, CancellationToken cancellationToken)
    {
        // The directory settings of the installed configuration: an external database (MariaDB, PostgreSQL) is left as it is.
        var configuration = MailroomConfiguration.Build(DataPaths.From(layout.DataDirectory), layout.ConfigurationFile, []);
        await AdminContext.OpenAsync(configuration, cancellationToken).ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
        foreach (string file in new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists))
        {
            Own(file, uid, gid);
        }
    }

    /// <summary>Creates a directory and its missing parents with <paramref name="mode"/> (the process umask is 077).</summary>
    internal static void CreateDirectory(string path, UnixFileMode mode)
    {
        if (System.IO.Directory.Exists(path))
        {
            return;
        }

        string? parent = Path.GetDirectoryName(path);
        if (parent is not null)
        {
            CreateDirectory(parent, Public);
        }

        System.IO.Directory.CreateDirectory(path);
        SetMode(path, mode);
    }

    private static void WriteAtomically(string path, string text, UnixFileMode mode)
    {
        CreateDirectory(Path.GetDirectoryName(path)!, Public);
        string temporary = path + ".new";
        File.WriteAllText(temporary, text);
        SetMode(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static void Own(string path, uint uid, uint gid)
    {
        if (LibC.LChown(path, uid, gid) != 0)
        {
            throw new CliException($"cannot give {path} to uid {uid}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }
    }
}
