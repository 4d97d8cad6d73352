namespace Mailroom.Store.Maildir;

/// <summary>
/// The cache of released folders: a folder whose last lease is disposed stays loaded (and keeps its user's index
/// open) so that the next SELECT or STATUS costs a <see cref="MaildirFolder.Refresh"/>, not a reload. Bounded by count
/// (<see cref="StoreOptions.IdleFolderCacheSize"/>), by messages held (<see cref="StoreOptions.IdleFolderCacheMaxMessages"/>)
/// and by age (<see cref="StoreOptions.IdleFolderTimeout"/>); least recently released first out. Guarded by the
/// repository's lock.
/// </summary>
public sealed partial class MaildirStore
{
    private readonly int _idleCapacity;
    private readonly int _idleMaxMessages;
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer _idleTimer;

    // Most recently released first.
    private readonly LinkedList<MaildirFolder> _idle = new();
    private long _idleMessages;
    private bool _disposed;

    /// <summary>Released folders kept loaded (for tests and diagnostics).</summary>
    internal int IdleFolderCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Keeps a folder whose last lease went away; false when the cache cannot take it.</summary>
    private bool ParkLocked(MaildirFolder folder)
    {
        int messages = folder.Current.Messages.Count;
        if (_idleCapacity == 0 || messages > _idleMaxMessages || folder.IdleNode is not null)
        {
            return false;
        }

        folder.IdleNode = _idle.AddFirst(folder);
        folder.IdleSince = _time.GetTimestamp();
        folder.IdleMessages = messages;
        _idleMessages += messages;
        while (_idle.Count > _idleCapacity || _idleMessages > _idleMaxMessages)
        {
            EvictLocked(_idle.Last!.Value);
        }

        ArmIdleTimerLocked();
        return true;
    }

    /// <summary>Takes a folder out of the cache; false when it was not in it. The caller owns its owner reference.</summary>
    private bool UnparkLocked(MaildirFolder folder)
    {
        if (folder.IdleNode is null)
        {
            return false;
        }

        _idle.Remove(folder.IdleNode);
        folder.IdleNode = null;
        _idleMessages -= folder.IdleMessages;
        folder.IdleMessages = 0;
        return true;
    }

    /// <summary>Unloads a cached folder: out of its user's table, and the cache's reference on the user dropped.</summary>
    private void EvictLocked(MaildirFolder folder)
    {
        if (!UnparkLocked(folder))
        {
            return;
        }

        UserMailboxes owner = folder.Owner;
        if (owner.Folders.TryGetValue(folder.Name, out MaildirFolder? loaded) && ReferenceEquals(loaded, folder))
        {
            owner.Folders.Remove(folder.Name);
        }

        ReleaseLocked(owner);
    }

    /// <summary>DELETE or RENAME took a folder away under its name: a cached instance leaves the cache with it.</summary>
    private void ForgetLocked(MaildirFolder folder)
    {
        if (UnparkLocked(folder))
        {
            ReleaseLocked(folder.Owner);
        }
    }

    private void OnIdleTimer()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            while (_idle.Last is { } oldest && _time.GetElapsedTime(oldest.Value.IdleSince) >= _idleTimeout)
            {
                EvictLocked(oldest.Value);
            }

            ArmIdleTimerLocked();
        }
    }

    /// <summary>One timer for the whole cache, due when the least recently released folder expires.</summary>
    private void ArmIdleTimerLocked() => IdleExpiry.Arm(_idleTimer, _time, _idleTimeout, _idle.Last?.Value.IdleSince);
}
