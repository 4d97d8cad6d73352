namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// Real clients nobody here wrote (swaks, python3, openssl). A missing tool skips the test, unless
/// <c>MAILROOM_REQUIRE_EXTERNAL=1</c> (CI), where a skipped interop test would hide a gap, so it fails instead.
/// </summary>
internal static class ExternalTool
{
    // Daemons such as dnsmasq live in sbin, which a non-login PATH may lack.
    private static readonly string[] SearchPath =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin"];

    /// <summary>Returns the tool's full path, or ends the test (skip or failure) when it is not installed.</summary>
    public static string Require(string name)
    {
        string? path = SearchPath.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return path;
        }

        string reason = $"{name} not installed (apt-get install -y {name})";
        if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail($"{reason}; MAILROOM_REQUIRE_EXTERNAL=1 requires it");
        }

        Assert.Skip(reason);
        return name;
    }

    public static Task<ProcessResult> RunAsync(string name, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null)
        => ChildProcess.RunAsync(Require(name), arguments, standardInput, timeout ?? TimeSpan.FromSeconds(20));
}
