using Mailroom.Hosting.Privileges;

namespace Mailroom.Tests.Support;

/// <summary>
/// What a test needs from the machine: root, or a tool from Debian. Missing, the test skips with the reason, unless
/// <c>MAILROOM_REQUIRE_EXTERNAL=1</c> (CI, as root with every tool installed) turns the skip into a failure.
/// </summary>
internal static class Requirement
{
    private static readonly string[] SearchPath =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin"];

    public static void Root(string what)
    {
        if (!LeastPrivilege.IsRoot)
        {
            Missing($"{what} needs root (CI runs the tests as root)");
        }
    }

    /// <summary>The tool's full path; ends the test when it is not installed.</summary>
    public static string Tool(string name, string package)
    {
        string? path = SearchPath.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
        if (path is null)
        {
            Missing($"{name} not installed (apt-get install -y {package})");
        }

        return path ?? name;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Missing(string reason)
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail($"{reason}; MAILROOM_REQUIRE_EXTERNAL=1 requires it");
        }

        Assert.Skip(reason);
    }
}
