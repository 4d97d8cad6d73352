namespace Mailroom.Testing;

/// <summary>Named pipes, as another program might leave among mail files (coreutils' mkfifo, present on every Debian).</summary>
public static class Fifo
{
    public static void Make(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        if (!mkfifo.WaitForExit(TimeSpan.FromSeconds(30)) || mkfifo.ExitCode != 0)
        {
            throw new IOException($"mkfifo {path} failed");
        }
    }
}
