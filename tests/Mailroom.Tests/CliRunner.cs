using System.Diagnostics;

namespace Mailroom.Tests;

/// <summary>Runs the real <c>mailroom</c> program (the built mailroom.dll) as a child process.</summary>
internal static class CliRunner
{
    public static string ProgramPath => Path.Combine(AppContext.BaseDirectory, "mailroom.dll");

    public static Task<CliResult> RunAsync(string dataDirectory, string? stdin, params string[] args) => RunAsync(dataDirectory, stdin, null, args);

    public static Task<CliResult> RunAsync(string dataDirectory, string? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
        => RunProcessAsync(stdin, environment, [.. args, "--data", dataDirectory]);

    /// <summary>Runs with no <c>--data</c>, in the test's working directory: the program chooses the data directory.</summary>
    public static Task<CliResult> RunWithoutDataAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
        => RunProcessAsync(null, environment, args);

    /// <summary>
    /// Runs <paramref name="command"/> (a program and its first arguments: a published <c>mailroom</c>, or a wrapper
    /// such as setpriv followed by one) with <paramref name="args"/> after it.
    /// </summary>
    public static Task<CliResult> RunCommandAsync(IReadOnlyList<string> command, string? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
        => RunProcessAsync(stdin, environment, args, command);

    private static async Task<CliResult> RunProcessAsync(string? stdin, IReadOnlyDictionary<string, string>? environment, string[] args, IReadOnlyList<string>? command = null)
    {
        command ??= ["dotnet", ProgramPath];
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in command.Skip(1).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            info.Environment[variable.Key] = variable.Value;
        }

        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mailroom {string.Join(' ', args)} did not finish within 60 s");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error);
