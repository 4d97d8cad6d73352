using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.IO;

/// <summary>
/// Group commit by one syncfs(2) for every writer on one file system. A writer takes a <see cref="Enlist">ticket</see>
/// before creating its files, writes and renames them without fsyncing any, then awaits <see cref="SyncAsync"/>: one
/// syncfs runs for every writer registered before it started (those arriving meanwhile share the next one), and it
/// writes back every dirty file and directory of the file system and commits its journal, so the files' data and their
/// directory entries are on disk when the writer is released. Concurrent deliveries thus share one flush instead of
/// issuing an fsync per file and one per directory.
/// </summary>
/// <remarks>
/// What this relies on: Linux 5.8 or later, where syncfs reports the writeback errors recorded on the file system
/// (errseq <c>s_wb_err</c>, set by every failed page writeback) since the descriptor's previous syncfs, and ext4/xfs
/// report a failed journal commit from the same call. The descriptor is opened once, before any file is written, and
/// only this group calls syncfs on it, one call at a time, so no error is consumed elsewhere. An error reported by one
/// call may belong to a file of a writer still waiting for the next one (its pages failed while the earlier call ran),
/// so every failure also fails each writer whose ticket was taken before it (<see cref="FileSystemSyncTicket"/>): such
/// writers are told to retry, never acknowledged. Older kernels return success from syncfs whatever happened:
/// <see cref="IsSupported"/> is false there and callers fsync each file instead.
/// </remarks>
public sealed class FileSystemSyncGroup : IDisposable
{
    private readonly DirectorySyncBatch _batch;
    private readonly SafeFileHandle? _handle;
    private long _failures;

    private FileSystemSyncGroup(string path, SafeFileHandle? handle, Action flush)
    {
        _handle = handle;
        _batch = new DirectorySyncBatch(path, _ => Flush(flush));
    }

    /// <summary>For tests: replaces syncfs, so that batching and failures can be counted.</summary>
    internal FileSystemSyncGroup(Action flush)
        : this("(test)", null, flush)
    {
    }

    /// <summary>Whether syncfs reports writeback errors here (Linux 5.8 or later): without that it cannot be trusted.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(5, 8);

    /// <summary>
    /// The group of the file system holding <paramref name="directory"/>, keeping a descriptor of it open for the
    /// group's life.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not <see cref="IsSupported"/>.</exception>
    /// <exception cref="IOException">The directory could not be opened.</exception>
    public static FileSystemSyncGroup Open(string directory)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("syncfs reports writeback errors only on Linux 5.8 or later");
        }

        var handle = new SafeFileHandle(DurableFile.OpenDirectory(directory), ownsHandle: true);
        return new FileSystemSyncGroup(directory, handle, () => SyncFileSystem(handle, directory));
    }

    /// <summary>Taken before the files to be flushed are created (see <see cref="FileSystemSyncTicket"/>).</summary>
    public FileSystemSyncTicket Enlist() => new(Interlocked.Read(ref _failures));

    /// <summary>
    /// Returns once a syncfs that started after this call succeeded and none failed since <paramref name="ticket"/> was
    /// taken: every file written and renamed on this file system before the call is then on disk.
    /// </summary>
    /// <exception cref="IOException">A flush failed: nothing written since the ticket is known durable.</exception>
    public async Task SyncAsync(FileSystemSyncTicket ticket)
    {
        await _batch.RequestAsync().ConfigureAwait(false);
        if (Interlocked.Read(ref _failures) != ticket.FailuresBefore)
        {
            throw new IOException("a flush of the file system failed after these files were written: they are not known to be on disk");
        }
    }

    public void Dispose() => _handle?.Dispose();

    private void Flush(Action flush)
    {
        try
        {
            flush();
        }
        catch
        {
            // Counted before the waiters of this round are released, so none of them, nor any writer enlisted before
            // this failure and still waiting, can see a success.
            Interlocked.Increment(ref _failures);
            throw;
        }
    }

    private static void SyncFileSystem(SafeFileHandle handle, string path)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int rc;
            do
            {
                rc = LibC.SyncFs((int)handle.DangerousGetHandle());
            }
            while (rc < 0 && Marshal.GetLastPInvokeError() == LibC.EIntr);

            if (rc < 0)
            {
                throw new IOException($"cannot syncfs the file system of {path}: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
