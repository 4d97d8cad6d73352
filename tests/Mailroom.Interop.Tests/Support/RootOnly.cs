using System.Runtime.InteropServices;

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// Tests of what only root can set up (a privilege drop, a tmpfs mount, another user). CI runs as root; elsewhere they
/// skip with the reason, unless <c>MAILROOM_REQUIRE_EXTERNAL=1</c> asks for every test to run.
/// </summary>
internal static partial class RootOnly
{
    /// <summary>Ends the test (skip or failure) unless the test process is root.</summary>
    public static void Require(string what)
    {
        if (GetEUid() == 0)
        {
            return;
        }

        string reason = $"{what} needs root (CI runs the tests as root)";
        if (Environment.GetEnvironmentVariable("MAILROOM_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail($"{reason}; MAILROOM_REQUIRE_EXTERNAL=1 requires it");
        }

        Assert.Skip(reason);
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEUid();
}
