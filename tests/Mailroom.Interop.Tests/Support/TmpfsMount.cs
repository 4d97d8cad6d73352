namespace Mailroom.Interop.Tests.Support;

/// <summary>A small tmpfs mounted on a fresh temporary directory (root only), unmounted and removed on dispose.</summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static async Task<TmpfsMount> CreateAsync(string size)
    {
        RootOnly.Require("mounting a tmpfs");
        string path = System.IO.Directory.CreateTempSubdirectory("mailroom-tmpfs-").FullName;
        ProcessResult mounted = await ChildProcess.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", path]);
        if (mounted.ExitCode != 0)
        {
            System.IO.Directory.Delete(path);
            Assert.Skip($"cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?): {mounted}");
        }

        return new TmpfsMount(path);
    }

    /// <summary>Writes a file until the file system is full; returns its path (delete it to give the space back).</summary>
    public string Fill()
    {
        string filler = System.IO.Path.Combine(Path, "filler");
        var block = new byte[4096];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full, which is the point.
        }

        return filler;
    }

    public async ValueTask DisposeAsync()
    {
        ProcessResult unmounted = await ChildProcess.RunAsync("umount", [Path]);
        if (unmounted.ExitCode != 0)
        {
            // A process still holding a file there: detach now, the kernel frees it when the last one closes.
            await ChildProcess.RunAsync("umount", ["-l", Path]);
        }

        System.IO.Directory.Delete(Path, recursive: true);
    }
}
