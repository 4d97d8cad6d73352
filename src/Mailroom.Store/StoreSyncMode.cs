namespace Mailroom.Store;

/// <summary>How the Maildir store makes a save (delivery, APPEND, COPY) durable before it returns (<see cref="StoreOptions.SyncMode"/>).</summary>
public enum StoreSyncMode
{
    /// <summary>
    /// No fsync per file: the saves under way on one file system share one syncfs(2), which writes back their files
    /// and directory entries together (Linux 5.8 or later, where syncfs reports writeback errors; elsewhere the store
    /// falls back to <see cref="Files"/>).
    /// </summary>
    FileSystem,

    /// <summary>Each file is fsynced as it is completed, then its directory, the directory fsyncs shared by concurrent saves.</summary>
    Files,
}
