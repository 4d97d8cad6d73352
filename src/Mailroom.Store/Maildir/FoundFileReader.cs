using Mailroom.IO;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Store.Maildir;

/// <summary>
/// Reads the message files a folder's index does not know (a Maildir copied in by another program: 10,000 files at a
/// first EXAMINE), on every core at once. A file to describe is opened once: its time and length come from the open
/// handle (no second lookup of its name in a large directory) and its header is read from the same handle, no further
/// than the header's end. The indexer bounds what one file costs (its limits, linear in the header); a file that cannot
/// be read or described still counts as a message, only without index entries (FETCH computes and reports them).
/// </summary>
internal static class FoundFileReader
{
    /// <summary>
    /// One entry per file of <paramref name="files"/> (paths relative to <paramref name="folderPath"/>), in the same
    /// order: null for a file that is gone. <paramref name="indexerOf"/> gives the indexer for file i, or null when its
    /// header is not to be read.
    /// </summary>
    public static FoundFile?[] Read(string folderPath, IReadOnlyList<(string BaseName, string File)> files, Func<int, IMessageIndexer?> indexerOf, ILogger logger)
    {
        var found = new FoundFile?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            found[i] = ReadOne(Path.Combine(folderPath, files[i].File), files[i].BaseName, indexerOf(i), logger);
        });
        return found;
    }

    private static FoundFile? ReadOne(string path, string baseName, IMessageIndexer? indexer, ILogger logger)
    {
        long sizeField = MaildirFileName.SizeField(baseName, 'S');
        if (indexer is null)
        {
            return Stat(path, sizeField);
        }

        SafeFileHandle handle;
        try
        {
            handle = RegularFile.OpenRead(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable (permissions) or not a regular file: a message all the same when it exists, without entries.
            StoreLog.IndexingFailed(logger, path, ex);
            return Stat(path, sizeField);
        }

        using (handle)
        {
            DateTime lastWrite = File.GetLastWriteTimeUtc(handle);
            long size = sizeField >= 0 ? sizeField : RandomAccess.GetLength(handle);

            // The stream owns the handle: it is closed when the indexer is done with it (the using above is a no-op then).
            byte[]?[]? values = MessageIndexing.TryDescribe(
                indexer, () => new FileStream(handle, FileAccess.Read, bufferSize: 0), headerOnly: true, logger, path);
            return new FoundFile(lastWrite, size, values);
        }
    }

    private static FoundFile? Stat(string path, long sizeField)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FoundFile(info.LastWriteTimeUtc, sizeField >= 0 ? sizeField : info.Length, null) : null;
    }
}
