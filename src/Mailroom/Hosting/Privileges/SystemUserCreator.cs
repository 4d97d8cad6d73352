using System.Diagnostics;

namespace Mailroom.Hosting.Privileges;

/// <summary>
/// Creates the service user when it is missing, as Debian's packages do in their postinst: a system user (uid below
/// 1000, no password, no login shell, no home directory created) with a group of its own, its home the data
/// directory. useradd is in every distribution's base system; Debian's adduser --system is used only without it.
/// </summary>
internal static class SystemUserCreator
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    // Several processes started at once (a server and an admin verb) may both find the user missing; one creates it,
    // the other finds /etc/passwd locked or the user already there, and looks again.
    private const int Attempts = 10;

    /// <summary>Creates the user and returns it; also when another process created it in the meantime.</summary>
    /// <exception cref="PrivilegeException">Neither useradd nor adduser could create it.</exception>
    public static async Task<ServiceAccount> CreateAsync(string name, string home, CancellationToken cancellationToken)
    {
        string failure = "";
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            if (ServiceAccount.Find(name) is { } existing)
            {
                return existing;
            }

            (string program, string[] arguments) = Command(name, home);
            (int exitCode, string error) = await RunAsync(program, arguments, cancellationToken).ConfigureAwait(false);
            if (ServiceAccount.Find(name) is { } created)
            {
                return created;
            }

            failure = $"{program} exited with {exitCode}: {error.Trim()}";
            await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
        }

        throw new PrivilegeException(
            $"cannot create the service user {name} ({failure}); create it (useradd --system --user-group --no-create-home --shell /usr/sbin/nologin {name}) or set Server:User to an existing user");
    }

    private static (string Program, string[] Arguments) Command(string name, string home)
    {
        string shell = File.Exists("/usr/sbin/nologin") ? "/usr/sbin/nologin" : File.Exists("/sbin/nologin") ? "/sbin/nologin" : "/bin/false";
        string? useradd = Find("useradd");
        if (useradd is not null || Find("adduser") is not { } adduser)
        {
            return (useradd ?? "useradd", ["--system", "--user-group", "--no-create-home", "--home-dir", home, "--shell", shell, "--comment", "Mailroom mail server", name]);
        }

        return (adduser, ["--system", "--group", "--no-create-home", "--home", home, "--shell", shell, "--gecos", "Mailroom mail server", name]);
    }

    internal static string? Find(string program) =>
        new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }.Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>Runs a system tool with a time limit; returns its exit code and what it wrote on stderr.</summary>
    internal static async Task<(int ExitCode, string Error)> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start) ?? throw new PrivilegeException($"cannot run {program}");
            Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
            Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CommandTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill();
                return (-1, $"did not finish within {CommandTimeout.TotalSeconds} s");
            }

            await output.ConfigureAwait(false);
            return (process.ExitCode, await error.ConfigureAwait(false));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
