namespace Mailroom.Testing;

/// <summary>
/// Real programs nobody here wrote (swaks, python3, openssl, doveadm, sieve-test, fetchmail…). A missing tool skips
/// the test, unless <c>MAILROOM_REQUIRE_EXTERNAL=1</c> (CI), where a skipped interop test would hide a gap, so it
/// fails instead. The one copy every test project links from tests/Shared.
/// </summary>
internal static class ExternalTool
{
    // Daemons such as dnsmasq live in sbin, which a non-login PATH may lack.
    private static readonly string[] SearchPath =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin"];

    /// <summary>The tool's full path, or null when it is not installed.</summary>
    public static string? Find(string name) =>
        SearchPath.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    /// <summary>Returns the tool's full path, or ends the test (skip or failure) when it is not installed.</summary>
    /// <param name="name">The program's file name.</param>
    /// <param name="package">The Debian package that provides it, when it is not named like the program.</param>
    public static string Require(string name, string? package = null)
    {
        string? path = Find(name);
        if (path is not null)
        {
            return path;
        }

        string reason = $"{name} not installed (apt-get install -y {package ?? name})";
        if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail($"{reason}; MAILROOM_REQUIRE_EXTERNAL=1 requires it");
        }

        Assert.Skip(reason);
        return name;
    }

    /// <summary>
    /// Runs the tool (a full path, or a name looked up with <see cref="Require"/>) to completion with a bounded wait,
    /// feeding it <paramref name="standardInput"/>, and stops it when the test is cancelled.
    /// </summary>
    public static Task<ProcessResult> RunAsync(
        string tool,
        IEnumerable<string> arguments,
        string? standardInput = null,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.RunAsync(
            Path.IsPathRooted(tool) ? tool : Require(tool),
            arguments,
            standardInput,
            timeout ?? ChildProcess.DefaultTimeout,
            environment,
            TestContext.Current.CancellationToken);
}
