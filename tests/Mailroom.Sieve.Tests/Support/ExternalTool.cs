using System.Diagnostics;

namespace Mailroom.Sieve.Tests.Support;

/// <summary>Runs an external program (sieve-test, sieve-connect) with a bounded wait; skips when it is not installed.</summary>
internal static class ExternalTool
{
    public static string? Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The tool's path, or a skip (a failure when MAILROOM_REQUIRE_EXTERNAL=1).</summary>
    public static string Require(string name, string package)
    {
        string? path = Find(name);
        if (path is not null)
        {
            return path;
        }

        if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail($"{name} is required (MAILROOM_REQUIRE_EXTERNAL=1) but not installed (apt-get install {package})");
        }

        Assert.Skip($"{name} is not installed (apt-get install {package})");
        return "";
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? input = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading its input.
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in time");
        }

        return (process.ExitCode, await output, await error);
    }
}
