using Microsoft.Extensions.Logging;

namespace Mailroom.Store.Maildir;

/// <summary>
/// Noticing changes made by other programs (mutt, a second Mailroom, Dovecot's LDA) while sessions hold the folder:
/// one file-system watch on new/ and cur/ (inotify on Linux) shared by every session of the folder, as Dovecot does,
/// and one slow poll per folder in case the watch misses something or cannot be set up. Either ends in
/// <see cref="Refresh()"/>, whose <see cref="Mailboxes.MailFolder.Changed"/> wakes the sessions in IDLE; an idle
/// session itself does nothing. Bursts of events are coalesced into one refresh after <see cref="WatchSettle"/>.
/// </summary>
internal sealed partial class MaildirFolder
{
    // Events of one burst (a delivery renames tmp/ → new/, a flag change renames within cur/) are gathered into one
    // rescan: far below the second a client may wait for news.
    private static readonly TimeSpan WatchSettle = TimeSpan.FromMilliseconds(100);

    private FileSystemWatcher? _newWatcher;
    private FileSystemWatcher? _curWatcher;
    private ITimer? _watchTimer;
    private TimeSpan _pollInterval;
    private int _refreshScheduled;

    // Whether a watch or poll is set up (written under _gate): a delivery's lease, which never starts one, reads it
    // without the lock so that its release does not wait for a reader holding the folder.
    private volatile bool _watching;

    /// <summary>Whether a watch or poll is set up, read without the folder's lock.</summary>
    internal bool HasWatch => _watching;

    /// <summary>Whether a file-system watch is active (false when none could be set up: the poll alone remains).</summary>
    internal bool IsWatched
    {
        get
        {
            lock (_gate)
            {
                return _newWatcher is not null;
            }
        }
    }

    /// <summary>The first lease began: watch the folder's directories, and poll every <paramref name="pollInterval"/>.</summary>
    internal void StartWatching(TimeSpan pollInterval)
    {
        lock (_gate)
        {
            if (_watchTimer is not null)
            {
                return;
            }

            _pollInterval = pollInterval;
            _watchTimer = _time.CreateTimer(static state => ((MaildirFolder)state!).OnWatchTimer(), this, pollInterval, Timeout.InfiniteTimeSpan);
            _watching = true;
            WatchLocked();
        }
    }

    /// <summary>
    /// After a lease ended: when no lease is left, no watch and no poll. <see cref="Leases"/> is changed under the
    /// store's lock before this runs; a lease taken meanwhile starts its own watch after this (under this lock).
    /// </summary>
    internal void StopWatchingIfUnused()
    {
        lock (_gate)
        {
            if (Leases > 0)
            {
                return;
            }

            UnwatchLocked();
            _watchTimer?.Dispose();
            _watchTimer = null;
            _watching = false;
        }
    }

    /// <summary>The store is closing: no watch and no poll, whatever leases are left.</summary>
    internal void StopWatching()
    {
        lock (_gate)
        {
            UnwatchLocked();
            _watchTimer?.Dispose();
            _watchTimer = null;
            _watching = false;
        }
    }

    /// <summary>The directory moved (RENAME): watch it where it is now.</summary>
    internal void RewatchAfterMove()
    {
        lock (_gate)
        {
            if (_watchTimer is null)
            {
                return;
            }

            UnwatchLocked();
            WatchLocked();
        }
    }

    private void WatchLocked()
    {
        try
        {
            _newWatcher = CreateWatcher(Path.Combine(_path, "new"));
            _curWatcher = CreateWatcher(Path.Combine(_path, "cur"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            // Out of inotify watches or instances (fs.inotify.max_user_*), or a directory gone: the poll covers it. While
            // the kernel limit lasts every folder opened meets it, so the admin is told once and each folder after at debug.
            if (_owner.Store.IsFirstWatchFailure())
            {
                MailboxLog.WatchFailed(_logger, _path, ex);
            }
            else
            {
                MailboxLog.WatchFailedAgain(_logger, _path, ex.Message);
            }

            UnwatchLocked();
        }
    }

    private FileSystemWatcher CreateWatcher(string directory)
    {
        var watcher = new FileSystemWatcher(directory)
        {
            NotifyFilter = NotifyFilters.FileName,
            IncludeSubdirectories = false,
        };
        watcher.Created += OnDirectoryEvent;
        watcher.Deleted += OnDirectoryEvent;
        watcher.Renamed += OnDirectoryEvent;
        watcher.Error += OnWatchError;
        try
        {
            _owner.Store.StartWatcher(watcher);
        }
        catch
        {
            watcher.Dispose();
            throw;
        }

        return watcher;
    }

    private void UnwatchLocked()
    {
        _newWatcher?.Dispose();
        _curWatcher?.Dispose();
        _newWatcher = null;
        _curWatcher = null;
    }

    private void OnDirectoryEvent(object sender, FileSystemEventArgs e)
    {
        if (Interlocked.Exchange(ref _refreshScheduled, 1) == 0)
        {
            lock (_gate)
            {
                _watchTimer?.Change(WatchSettle, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnWatchError(object sender, ErrorEventArgs e)
    {
        // An overflowed event queue lost events: look now, and keep watching.
        MailboxLog.WatchFailed(_logger, _path, e.GetException());
        OnDirectoryEvent(sender, new FileSystemEventArgs(WatcherChangeTypes.All, _path, null));
    }

    private void OnWatchTimer()
    {
        Volatile.Write(ref _refreshScheduled, 0);
        try
        {
            // Only notices: mail stays in new/ until a reader (an IMAP session) refreshes; POP3 keeps it there.
            Refresh(FolderAccess.Agent);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MailboxLog.WatchRefreshFailed(_logger, _path, ex);
        }

        lock (_gate)
        {
            if (Volatile.Read(ref _refreshScheduled) == 0)
            {
                _watchTimer?.Change(_pollInterval, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
