using System.Runtime.InteropServices;

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// kill(2): <see cref="System.Diagnostics.Process.Kill()"/> only sends SIGKILL, and the graceful-stop test needs
/// SIGTERM, the signal init systems send, and the reload tests SIGHUP.
/// </summary>
internal static partial class NativeSignals
{
    public const int SigHup = 1;

    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    public static void Send(int pid, int signal)
    {
        if (SendSignal(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
