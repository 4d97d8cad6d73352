using Mailroom.Core;

namespace Mailroom.Queue;

public sealed partial class QueueManager
{
    /// <summary>
    /// Invariant 1 on start: files in <c>incoming/</c> were never acknowledged (no 250 was sent), so they
    /// are dropped; every committed message in <c>active/</c> and <c>deferred/</c> is loaded with its
    /// per-recipient status and scheduled; unreadable files are moved to <c>corrupt/</c>.
    /// </summary>
    private void Recover()
    {
        int dropped = 0;
        foreach (string path in System.IO.Directory.EnumerateFiles(Directories.Incoming))
        {
            if (!_openSubmissions.ContainsKey(Path.GetFileName(path)))
            {
                TryDelete(path);
                dropped++;
            }
        }

        foreach (string path in System.IO.Directory.EnumerateFiles(Directories.Defer))
        {
            string id = Path.GetFileName(path);
            if (!File.Exists(Path.Combine(Directories.Active, id)) && !File.Exists(Path.Combine(Directories.Deferred, id)) && !File.Exists(Path.Combine(Directories.Hold, id)))
            {
                TryDelete(path);
            }
        }

        int count = RecoverDirectory(Directories.Active, deferred: false) + RecoverDirectory(Directories.Deferred, deferred: true);
        QueueDiagnostics.Recovered(_logger, Directories.Root, count, dropped);
    }

    private int RecoverDirectory(string directory, bool deferred)
    {
        int count = 0;
        foreach (string path in System.IO.Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(RecipientStatusFile.Extension, StringComparison.Ordinal))
            {
                string id = name[..^RecipientStatusFile.Extension.Length];
                if (!File.Exists(Path.Combine(Directories.Active, id)) && !File.Exists(Path.Combine(Directories.Deferred, id)))
                {
                    // The message was removed after its last delivery; only the sidecar was left.
                    TryDelete(path);
                }

                continue;
            }

            if (!QueueId.IsValid(name) || _entries.ContainsKey(name))
            {
                continue;
            }

            QueueEntry entry;
            try
            {
                entry = Load(name, path, deferred);
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
            {
                QueueDiagnostics.Corrupt(_logger, path, ex);
                File.Move(path, Path.Combine(Directories.Corrupt, name), overwrite: true);
                continue;
            }

            if (entry.NextAttempt is { } next && next > _time.GetUtcNow())
            {
                // Deferred before the restart: keep its schedule rather than retrying everything at once.
                _entries.TryAdd(entry.Id, entry);
                StartTimer(entry, next - _time.GetUtcNow());
            }
            else
            {
                Schedule(entry);
            }

            count++;
        }

        return count;
    }

    private QueueEntry Load(string id, string path, bool deferred)
    {
        var (envelope, contentOffset, size) = QueueFile.ReadHeader(path);
        var snapshot = new StatusSnapshot(envelope.Recipients.Count);

        // A crash while moving a message to deferred/ may leave its sidecar in the other directory.
        RecipientStatusFile.Load(Path.Combine(Directories.Active, id + RecipientStatusFile.Extension), snapshot);
        RecipientStatusFile.Load(Path.Combine(Directories.Deferred, id + RecipientStatusFile.Extension), snapshot);
        RecipientStatusFile.Load(DeferLogPath(id), snapshot);
        DateTimeOffset queuedAt = new(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        var entry = new QueueEntry(id, envelope, path, contentOffset, size, queuedAt, snapshot.States)
        {
            IsDeferred = deferred,
            MayHaveStatus = true,
            Attempts = snapshot.Attempts,
            NextAttempt = snapshot.NextAttempt,
            Warned = snapshot.Warned,
        };
        snapshot.LastOutcomes.CopyTo(entry.LastOutcomes, 0);
        return entry;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            QueueDiagnostics.CleanupFailed(_logger, path, ex);
        }
    }
}
