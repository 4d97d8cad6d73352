using System.Diagnostics;

namespace Mailroom.Directory.Tests.Support;

/// <summary>
/// Runs a real tool (doveadm, mkpasswd). When it is missing the test is skipped, unless the environment
/// variable MAILROOM_REQUIRE_EXTERNAL=1 asks for it to fail instead (CI images that must have the tools).
/// </summary>
internal static class ExternalTool
{
    public static string RequirePath(string name, string installHint)
    {
        string? path = Find(name);
        if (path is not null)
        {
            return path;
        }

        string message = $"{name} not installed ({installHint})";
        if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail(message + " and MAILROOM_REQUIRE_EXTERNAL=1 requires it");
        }

        Assert.Skip(message);
        return string.Empty;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string path, params string[] arguments)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + path);
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, (await output).Trim() + (await error).Trim());
    }

    private static string? Find(string name)
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
