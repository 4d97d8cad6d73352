using System.Collections.Concurrent;
using Mailroom.IO;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Maildir;

/// <summary>
/// Local delivery, by the Maildir protocol: write <c>tmp/&lt;unique&gt;</c>, rename it to
/// <c>new/&lt;unique&gt;,S=&lt;size&gt;,W=&lt;wire size&gt;</c>, then make both durable: one syncfs shared by the
/// deliveries under way (<see cref="StoreSyncMode.FileSystem"/>), or an fsync of the file before the rename and of
/// <c>new/</c> after it, group-committed across concurrent deliveries (<see cref="StoreSyncMode.Files"/>). A reader never sees a partial message; after the commit the message survives a crash. Then, as
/// Dovecot's LMTP does, the message gets its UID (uidlist) and its index rows, batched with concurrent deliveries to
/// the same INBOX (<see cref="MaildirFolder.IndexDeliveredAsync"/>); when the INBOX is busy, the next reader numbers it.
/// </summary>
public sealed partial class MaildirStore
{
    private readonly ConcurrentDictionary<string, bool> _readyMaildirs = new(StringComparer.Ordinal);

    public SaveTransaction BeginDelivery(string user) => new MaildirSave(this, user, GetMaildirPath(user));

    /// <summary>
    /// A hold on <paramref name="user"/>'s INBOX for a delivery: the shared folder object (its lock serialises numbering
    /// with every reader), neither loaded nor watched for it, nor kept in the cache of released folders unless loaded.
    /// </summary>
    internal FolderLease LeaseInboxForDelivery(string user)
    {
        UserMailboxes owner = Reference(user);
        MaildirFolder folder;
        lock (_gate)
        {
            if (!owner.Folders.TryGetValue(FolderNames.Inbox, out folder!))
            {
                folder = new MaildirFolder(owner, FolderNames.Inbox, _time, _logger);
                owner.Folders.Add(FolderNames.Inbox, folder);
            }
            else if (UnparkLocked(folder))
            {
                // The cache's reference on the owner passes to this lease (Reference took one more).
                owner.References--;
            }

            folder.Leases++;
        }

        return new FolderLease(folder, ReleaseDelivery);
    }

    /// <summary>
    /// A delivery's lease ends. It started no watch, so it waits for the folder's lock (which a reader may hold for long)
    /// only when a session's watch is still on and may have been left to the last lease to stop.
    /// </summary>
    private void ReleaseDelivery(MailFolder released)
    {
        var folder = (MaildirFolder)released;
        ReleaseLease(folder);
        if (folder.HasWatch)
        {
            folder.StopWatchingIfUnused();
        }
    }

    /// <summary>Creates the Maildir's cur/, new/ and tmp/ (and their parents, durably) unless known to exist.</summary>
    internal void EnsureMaildir(string maildir)
    {
        if (_readyMaildirs.ContainsKey(maildir))
        {
            return;
        }

        bool created = false;
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new", "tmp"])
        {
            string path = Path.Combine(maildir, sub);
            if (!System.IO.Directory.Exists(path))
            {
                System.IO.Directory.CreateDirectory(path);
                created = true;
            }
        }

        if (created)
        {
            // New directory entries are durable only once their parents are fsynced, up to the mail root.
            for (string? dir = maildir; dir is not null && dir.Length >= _root.Length; dir = Path.GetDirectoryName(dir))
            {
                DurableFile.FlushDirectory(dir);
            }

            StoreLog.MaildirCreated(_logger, maildir);
        }

        _readyMaildirs.TryAdd(maildir, true);
    }

    /// <summary>The Maildir was removed behind our back (user deleted and re-created): build it again on next use.</summary>
    internal void ForgetMaildir(string maildir)
    {
        _readyMaildirs.TryRemove(maildir, out _);
        ForgetFileSystemSync(maildir);
    }

    /// <summary>
    /// Keeps the index entries of messages a delivery is about to make visible in <paramref name="user"/>'s INBOX, so
    /// the reader that gives them UIDs takes them instead of reading the files. Written before the renames: a reader
    /// can never find the file first. A failure costs only the cache (logged; the fields are computed at first use).
    /// </summary>
    internal void SaveDelivered(string user, IReadOnlyList<(string BaseName, byte[]?[] Values)> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        UserMailboxes owner = Reference(user);
        try
        {
            owner.Index.SaveDelivered(FolderNames.Inbox, entries, Now);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            // Only the cache is lost: the reader indexes these messages from their files instead.
            StoreLog.IndexingFailed(_logger, owner.Maildir, ex);
        }
        finally
        {
            Release(owner);
        }
    }

    /// <summary>
    /// A delivery into <paramref name="maildir"/> is durable: the quota measures again, and unless the delivery numbered
    /// the mail itself (<paramref name="numbered"/>: the sessions were told then), the sessions watching that INBOX learn
    /// of it at once (in-process; no polling) from a refresh.
    /// </summary>
    internal void OnDelivered(string user, string maildir, bool numbered)
    {
        OnUsageChanged(user);
        if (numbered)
        {
            return;
        }

        MaildirFolder? inbox = null;
        lock (_gate)
        {
            // A released INBOX kept in the cache is refreshed when it is leased again, and one held only by deliveries
            // (no session watches it) when a session leases it: nobody is waiting for either now.
            if (_users.TryGetValue(maildir, out UserMailboxes? owner)
                && owner.Folders.TryGetValue(FolderNames.Inbox, out inbox)
                && (inbox.IdleNode is not null || !inbox.HasWatch))
            {
                inbox = null;
            }
        }

        if (inbox is not null)
        {
            // Off the delivery agent's thread: the delivery is done; the sessions learn of it from Changed.
            ThreadPool.UnsafeQueueUserWorkItem(
                static state =>
                {
                    (MaildirFolder folder, ILogger logger) = state;
                    try
                    {
                        // Not a reader looking: new mail stays new until a session that shows it refreshes.
                        folder.Refresh(FolderAccess.Agent);
                    }
                    catch (ObjectDisposedException)
                    {
                        // Unloaded between the delivery and this refresh: nobody is left to tell.
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
                    {
                        MailboxLog.DeliveryRefreshFailed(logger, folder.FolderPath, ex);
                    }
                },
                (inbox, (ILogger)_logger),
                preferLocal: false);
        }
    }
}
