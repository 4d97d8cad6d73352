using Mailroom.Store.Mailboxes;
using Microsoft.Data.Sqlite;

namespace Mailroom.Store.Maildir;

/// <summary>
/// Delivered messages get their UIDs and index rows at delivery, as Dovecot's LMTP gives each message its UID and index
/// record, so that the first EXAMINE of a mailbox that received mail reads an index instead of numbering and indexing
/// every new message. Deliveries to one folder are committed in batches: each queues its files, and whoever holds the
/// folder's lock next numbers everything queued with one uidlist append and one index transaction (the append is
/// fsynced at once when the folder is loaded; otherwise by the next load, before anyone sees the UIDs).
/// </summary>
internal sealed partial class MaildirFolder
{
    // How long a waiting delivery gives the holder of the folder's lock before trying the lock again.
    private const long RetryMilliseconds = 2;

    private readonly Lock _deliveryQueueGate = new();
    private List<QueuedDelivery> _deliveryQueue = [];

    /// <summary>
    /// Numbers and indexes delivered files (in place, fsynced, marked pending by the caller): true when they have their
    /// UIDs and rows. False when the folder's lock stayed busy longer than <paramref name="wait"/> (a reader numbering or
    /// indexing many files) or the commit failed: the caller leaves them to the next reader, as the Maildir protocol does,
    /// rather than hold its reply back. The files stay where they are (new/ until a SELECT), whatever the answer. A
    /// delivery never blocks a thread on the lock: it tries it, and while another holds it, it awaits its batch's outcome
    /// for a moment and tries again, so many deliveries waiting on a busy INBOX cost no pool threads.
    /// </summary>
    internal async Task<bool> IndexDeliveredAsync(IReadOnlyList<DeliveredFile> files, TimeSpan wait)
    {
        var queued = new QueuedDelivery(files);
        lock (_deliveryQueueGate)
        {
            _deliveryQueue.Add(queued);
        }

        long deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        while (!queued.Outcome.Task.IsCompleted)
        {
            if (TryCommitQueued())
            {
                break;
            }

            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                lock (_deliveryQueueGate)
                {
                    if (_deliveryQueue.Remove(queued))
                    {
                        return false;
                    }
                }

                // The holder of the lock took it into its batch and is committing it now.
                break;
            }

            // Whoever holds the lock may be committing this delivery's batch already; otherwise try again shortly.
            await Task.WhenAny(queued.Outcome.Task, Task.Delay(TimeSpan.FromMilliseconds(Math.Min(remaining, RetryMilliseconds)))).ConfigureAwait(false);
        }

        return await queued.Outcome.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the folder's lock if it is free and commits everything queued (this delivery's batch, or an empty one when
    /// an earlier holder took it). False when another holds the lock.
    /// </summary>
    private bool TryCommitQueued()
    {
        if (!_gate.TryEnter())
        {
            return false;
        }

        bool published;
        try
        {
            List<QueuedDelivery> batch;
            lock (_deliveryQueueGate)
            {
                batch = _deliveryQueue;
                _deliveryQueue = [];
            }

            // Empty when an earlier holder of the lock took this delivery into its batch and completed it.
            published = batch.Count > 0 && CommitBatchLocked(batch);
        }
        finally
        {
            _gate.Exit();
        }

        if (published)
        {
            // Off the delivery's thread: sessions holding the folder learn of the mail; the delivery has its answer.
            ThreadPool.UnsafeQueueUserWorkItem(static folder => folder.RaiseChanged(), this, preferLocal: false);
        }

        return true;
    }

    /// <summary>Commits a batch and completes each of its deliveries; true when a loaded folder published new messages.</summary>
    private bool CommitBatchLocked(List<QueuedDelivery> batch)
    {
        List<DeliveredFile> files = [.. batch.SelectMany(static q => q.Files)];
        bool committed = false;
        bool published = false;
        try
        {
            if (!_deleted && !_owner.IsDisposed)
            {
                if (_loaded)
                {
                    CommitDeliveredLoadedLocked(files);
                    published = true;
                    committed = true;
                }
                else
                {
                    committed = CommitDeliveredUnloadedLocked(files);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            // The messages are durable; only their numbering moves to the next reader (the caller's fallback).
            MailboxLog.DeliveryIndexFailed(_logger, _path, ex);
            published = false;
        }

        if (committed)
        {
            RemovePending(files.Select(static f => f.Record.BaseName));
        }

        foreach (QueuedDelivery queued in batch)
        {
            queued.Outcome.TrySetResult(committed);
        }

        return published;
    }

    /// <summary>The folder is in memory: number the files with its uidlist, write the rows, publish the new view.</summary>
    private void CommitDeliveredLoadedLocked(List<DeliveredFile> files)
    {
        ulong modSeq = _highestModSeq + 1;
        uint[] assigned = _uids!.Assign([.. files.Select(static f => f.Record.BaseName)]);
        MessageRecord[] records = Number(files, assigned, modSeq, out List<(uint Uid, byte[]?[] Values)> cached);
        for (int i = 0; i < records.Length; i++)
        {
            SetFile(records[i], files[i].File);
        }

        _highestModSeq = modSeq;
        Persist(records, [], cached);
        Publish([.. _view.MessageArray, .. records]);
    }

    /// <summary>
    /// Nobody holds the folder (the usual delivery): append to the uidlist found from the index row's record of it (its
    /// header only), write the rows and the row's new uidlist stamp. The row's directory times are cleared: the rename
    /// changed new/, and another program may have put files there at the same moment, so the next open lists the
    /// directories (it finds these messages numbered and indexed). False when the uidlist ends in a torn line (only a
    /// reader repairs it).
    /// </summary>
    private bool CommitDeliveredUnloadedLocked(List<DeliveredFile> files)
    {
        IndexDatabase index = _owner.Index;
        IndexedFolder? row = index.FindFolder(Name);
        UidList? uids = row is { Synced.UidList.Ticks: not 0 } ? UidList.TryLoadHeader(_path, row.Synced.UidList, row.Synced.UidNext) : null;
        if (uids is null || uids.UidValidity != row!.UidValidity)
        {
            uids = UidList.TryLoad(_path, out bool torn);
            if (torn)
            {
                return false;
            }

            if (uids is null)
            {
                uint known = row?.UidValidity ?? 0;
                uids = UidList.Create(_path, _owner.Store.NextUidValidity(known), 1);
                if (known != 0)
                {
                    MailboxLog.UidListCreated(_logger, _path, uids.UidValidity);
                }
            }

            // As a load does: a cache lost while the uidlist survived restarts mod-sequences above any handed out.
            ulong seed = uids.EntryCount == 0 ? 1 : (ulong)Math.Max(1, _time.GetUtcNow().ToUnixTimeMilliseconds());
            row = index.GetFolder(Name, uids.UidValidity, seed);
        }

        // Not fsynced here: nobody is shown these UIDs before the next load, which flushes the uidlist first (and a
        // power cut before it loses only lines no client saw). One fsync fewer per delivery batch.
        ulong modSeq = row.HighestModSeq + 1;
        uint[] assigned = uids.Assign([.. files.Select(static f => f.Record.BaseName)], durable: false);
        MessageRecord[] records = Number(files, assigned, modSeq, out List<(uint Uid, byte[]?[] Values)> cached);
        index.Apply(row.Id, modSeq, row.RecentUid, new FolderSyncState(0, 0, uids.Stamp, uids.NextUid), records, [], 0, cached);
        return true;
    }

    private static MessageRecord[] Number(List<DeliveredFile> files, uint[] assigned, ulong modSeq, out List<(uint Uid, byte[]?[] Values)> cached)
    {
        var records = new MessageRecord[files.Count];
        cached = [];
        for (int i = 0; i < records.Length; i++)
        {
            records[i] = files[i].Record with { Uid = assigned[i], ModSeq = modSeq };
            if (files[i].Cached is { } values)
            {
                cached.Add((assigned[i], values));
            }
        }

        return records;
    }

    /// <summary>One delivery's files waiting in the folder's queue, and whether the batch that took them numbered them.</summary>
    private sealed class QueuedDelivery(IReadOnlyList<DeliveredFile> files)
    {
        public IReadOnlyList<DeliveredFile> Files { get; } = files;

        public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
