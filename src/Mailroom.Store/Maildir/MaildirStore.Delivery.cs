using System.Collections.Concurrent;
using Mailroom.IO;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Maildir;

/// <summary>
/// Local delivery, by the Maildir protocol: write <c>tmp/&lt;unique&gt;</c>, fsync it, rename it to
/// <c>new/&lt;unique&gt;,S=&lt;size&gt;,W=&lt;wire size&gt;</c>, fsync <c>new/</c> (group-committed across concurrent
/// deliveries). A reader never sees a partial message; after the commit the message survives a crash. The uidlist
/// and the index are not touched: the next reader of INBOX gives the message its UID.
/// </summary>
public sealed partial class MaildirStore
{
    private readonly ConcurrentDictionary<string, bool> _readyMaildirs = new(StringComparer.Ordinal);

    public SaveTransaction BeginDelivery(string user) => new MaildirSave(this, user, GetMaildirPath(user));

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
    internal void ForgetMaildir(string maildir) => _readyMaildirs.TryRemove(maildir, out _);

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
    /// A delivery into <paramref name="maildir"/> is durable: the sessions watching that INBOX learn of it at once
    /// (in-process; no polling), and the quota measures again.
    /// </summary>
    internal void OnDelivered(string user, string maildir)
    {
        OnUsageChanged(user);
        MaildirFolder? inbox = null;
        lock (_gate)
        {
            // A released INBOX kept in the cache is refreshed when it is leased again; nobody is waiting for it now.
            if (_users.TryGetValue(maildir, out UserMailboxes? owner)
                && owner.Folders.TryGetValue(FolderNames.Inbox, out inbox)
                && inbox.IdleNode is not null)
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
