using Mailroom.Queue.Admin;

namespace Mailroom.Queue;

public sealed partial class QueueManager
{
    /// <summary>Every message in the queue, read from the spool (safe at any time: files are only read).</summary>
    internal IReadOnlyList<QueuedMessageInfo> List() => QueueFileOperations.List(Directories);

    /// <summary>Retries every deferred message now (Postfix's <c>postqueue -f</c>); returns how many.</summary>
    internal int Flush()
    {
        int count = 0;
        foreach (QueueEntry entry in _entries.Values)
        {
            if (entry.RetryTimer is not null && !entry.Withdrawn)
            {
                entry.RetryTimer.Dispose();
                entry.RetryTimer = null;
                Enqueue(entry);
                count++;
            }
        }

        return count;
    }

    /// <summary>Deletes one message or all (<c>ALL</c>), waiting for a delivery in progress to finish first.</summary>
    internal async Task<int> DeleteAsync(string idOrAll, CancellationToken cancellationToken)
    {
        IEnumerable<string> ids = IsAll(idOrAll) ? [.. QueueFileOperations.List(Directories).Select(m => m.Id)] : [idOrAll];
        int count = 0;
        foreach (string id in ids)
        {
            bool deleted = await WithdrawAsync(id, () => QueueFileOperations.Delete(Directories, id), cancellationToken).ConfigureAwait(false);
            if (deleted)
            {
                QueueMaillog.Removed(_qmgrLog, id);
                count++;
            }
        }

        return IsAll(idOrAll) || count > 0 ? count : throw new QueueAdminException($"{idOrAll}: no such message in the queue");
    }

    /// <summary>Moves a message to <c>hold/</c>: it stays, but is not delivered until released.</summary>
    internal async Task<int> HoldAsync(string id, CancellationToken cancellationToken)
    {
        bool held = await WithdrawAsync(id, () => QueueFileOperations.Move(Directories, id, Directories.Hold), cancellationToken).ConfigureAwait(false);
        return held ? 1 : throw new QueueAdminException($"{id}: no such message in the queue");
    }

    /// <summary>Moves a held message back to <c>deferred/</c> and delivers it now.</summary>
    internal int Release(string id)
    {
        if (!File.Exists(Path.Combine(Directories.Hold, id)))
        {
            throw new QueueAdminException($"{id}: no such message on hold");
        }

        QueueFileOperations.Move(Directories, id, Directories.Deferred);
        QueueEntry entry = Load(id, Path.Combine(Directories.Deferred, id), deferred: true);
        Schedule(entry);
        return 1;
    }

    private static bool IsAll(string id) => string.Equals(id, "ALL", StringComparison.Ordinal);

    /// <summary>
    /// Takes a known entry out of delivery under its gate (so no attempt is reading or moving its files),
    /// then runs <paramref name="action"/> on the files. Messages on hold have no entry: only the action runs.
    /// </summary>
    private async Task<bool> WithdrawAsync(string id, Func<bool> action, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(id, out QueueEntry? entry))
        {
            return action();
        }

        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            entry.Withdrawn = true;
            entry.RetryTimer?.Dispose();
            entry.RetryTimer = null;
            _entries.TryRemove(id, out _);
            return action();
        }
        finally
        {
            entry.Gate.Release();
        }
    }
}
