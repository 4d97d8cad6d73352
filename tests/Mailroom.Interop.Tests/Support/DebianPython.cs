namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// Debian's own <c>/usr/bin/python3</c>, where python3-dkim, python3-spf and python3-dnspython install (a python3
/// earlier in PATH, such as pyenv's, does not see them). Missing modules skip the test, or fail it under CI.
/// </summary>
internal static class DebianPython
{
    private const string Interpreter = "/usr/bin/python3";

    public static async Task<ProcessResult> RunAsync(string script, IEnumerable<string> arguments, string? standardInput = null)
    {
        if (!File.Exists(Interpreter))
        {
            Missing("/usr/bin/python3 not installed (apt-get install -y python3)");
        }

        ProcessResult result = await ChildProcess.RunAsync(Interpreter, ["-c", script, .. arguments], standardInput, TimeSpan.FromSeconds(60));
        if (result.StandardError.Contains("ModuleNotFoundError", StringComparison.Ordinal))
        {
            Missing("a Python module is missing (apt-get install -y python3-dkim python3-spf python3-dnspython python3-nacl): " + result.StandardError.Trim().Split('\n')[^1]);
        }

        return result;
    }

    private static void Missing(string reason)
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail(reason + "; MAILROOM_REQUIRE_EXTERNAL=1 requires it");
        }

        Assert.Skip(reason);
    }
}
