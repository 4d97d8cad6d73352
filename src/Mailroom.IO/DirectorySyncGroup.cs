using System.Collections.Concurrent;

namespace Mailroom.IO;

/// <summary>
/// Group commit of directory fsyncs. Many deliveries renaming files into the same directory at the same
/// time need only one fsync of that directory between them: each caller renames, then waits here; one
/// fsync runs for everybody who registered before it started, and the callers who arrive while it runs
/// share the next one. Thread-safe; one instance per owner (the store, the queue).
/// </summary>
public sealed class DirectorySyncGroup
{
    private readonly ConcurrentDictionary<string, DirectorySyncBatch> _directories = new(StringComparer.Ordinal);
    private readonly Action<string> _flush;

    public DirectorySyncGroup()
        : this(DurableFile.FlushDirectory)
    {
    }

    /// <summary>For tests: replaces the fsync call so that batching can be observed.</summary>
    internal DirectorySyncGroup(Action<string> flush)
    {
        _flush = flush;
    }

    /// <summary>
    /// Returns once <paramref name="directory"/> has been fsynced by a flush that started after this call,
    /// so every entry created or renamed in it before the call is durable.
    /// </summary>
    /// <exception cref="IOException">The fsync failed; nothing renamed before the call is known durable.</exception>
    public Task SyncAsync(string directory)
    {
        DirectorySyncBatch batch = _directories.GetOrAdd(directory, static (d, flush) => new DirectorySyncBatch(d, flush), _flush);
        return batch.RequestAsync();
    }
}
