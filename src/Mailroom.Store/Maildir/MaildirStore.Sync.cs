using System.Collections.Concurrent;
using Mailroom.IO;

namespace Mailroom.Store.Maildir;

/// <summary>
/// The shared flushes of <see cref="StoreSyncMode.FileSystem"/>: one <see cref="FileSystemSyncGroup"/> per file system
/// that holds a folder saved into (the mail root's, unless an admin mounted some domains or users elsewhere), found by
/// the folder's device number, looked up once per folder.
/// </summary>
public sealed partial class MaildirStore
{
    private readonly bool _syncFileSystems;
    private readonly Lock _syncGate = new();
    private readonly Dictionary<ulong, FileSystemSyncGroup> _syncByDevice = [];
    private readonly ConcurrentDictionary<string, FileSystemSyncGroup> _syncByFolder = new(StringComparer.Ordinal);

    /// <summary>For tests: makes the groups of this store with the given flush instead of syncfs, so flushes can be counted or failed.</summary>
    internal Func<string, FileSystemSyncGroup>? CreateFileSystemSync { get; set; }

    /// <summary>
    /// The group whose syncfs makes files saved in <paramref name="folderPath"/> durable; null when each file is fsynced
    /// instead (<see cref="StoreSyncMode.Files"/>, or syncfs unsupported here).
    /// </summary>
    internal FileSystemSyncGroup? FileSystemSyncFor(string folderPath)
    {
        if (!_syncFileSystems)
        {
            return null;
        }

        if (_syncByFolder.TryGetValue(folderPath, out FileSystemSyncGroup? known))
        {
            return known;
        }

        ulong device = CreateFileSystemSync is null ? DurableFile.GetFileSystemId(folderPath) : 0;
        FileSystemSyncGroup group;
        lock (_syncGate)
        {
            if (!_syncByDevice.TryGetValue(device, out group!))
            {
                group = CreateFileSystemSync?.Invoke(folderPath) ?? FileSystemSyncGroup.Open(folderPath);
                _syncByDevice.Add(device, group);
            }
        }

        _syncByFolder.TryAdd(folderPath, group);
        return group;
    }

    /// <summary>A folder was removed behind our back and may be made again elsewhere: look its file system up again.</summary>
    private void ForgetFileSystemSync(string folderPath) => _syncByFolder.TryRemove(folderPath, out _);

    private void DisposeFileSystemSyncs()
    {
        lock (_syncGate)
        {
            foreach (FileSystemSyncGroup group in _syncByDevice.Values)
            {
                group.Dispose();
            }

            _syncByDevice.Clear();
        }
    }
}
