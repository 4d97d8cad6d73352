namespace Mailroom.Store.Mailboxes;

/// <summary>Message content, cached protocol data and \Recent.</summary>
public sealed partial class MailFolder
{
    /// <summary>The message file, read-only, following it if another agent renamed it.</summary>
    /// <exception cref="MessageGoneException">The message no longer exists.</exception>
    public Stream OpenContent(uint uid)
    {
        string? file;
        string baseName;
        lock (_gate)
        {
            int index = _view.IndexOfUid(uid);
            if (index < 0)
            {
                throw new MessageGoneException($"UID {uid} is not in {Name}.");
            }

            file = FileOf(_view.MessageArray[index]);
            baseName = _view.MessageArray[index].BaseName;
        }

        try
        {
            return Open(Path.Combine(_path, file));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            lock (_gate)
            {
                file = Directory.Exists(_path) ? Locate(baseName) : null;
                if (file is null)
                {
                    throw new MessageGoneException($"UID {uid} of {Name} was removed.", ex);
                }

                _files[uid] = file;
            }

            try
            {
                return Open(Path.Combine(_path, file));
            }
            catch (Exception again) when (again is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new MessageGoneException($"UID {uid} of {Name} was removed.", again);
            }
        }
    }

    /// <summary>
    /// Protocol data the IMAP layer cached for a message, or null. The folder's cache is read into memory in one
    /// query on first use, so a FETCH of every ENVELOPE touches no message file.
    /// </summary>
    public byte[]? GetCached(uint uid, CachedField field)
    {
        lock (_gate)
        {
            EnsureLoadedLocked();
            _cached ??= _owner.Index.LoadCached(_indexed!.Id);
            return _cached.TryGetValue(uid, out byte[]?[]? values) ? values[(int)field] : null;
        }
    }

    public void SetCached(uint uid, CachedField field, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            EnsureLoadedLocked();
            if (_view.IndexOfUid(uid) < 0)
            {
                return;
            }

            _owner.Index.SetCached(_indexed!.Id, uid, field, value);
            if (_cached is not null)
            {
                if (!_cached.TryGetValue(uid, out byte[]?[]? values))
                {
                    values = new byte[]?[(int)CachedField.Body + 1];
                    _cached[uid] = values;
                }

                values[(int)field] = value;
            }
        }
    }

    /// <summary>
    /// The lowest UID that the next read-write SELECT would claim as \Recent (RFC 3501 §2.3.2): messages at or above it
    /// arrived since the last claim. Reading it claims nothing (STATUS RECENT, RFC 3501 §6.3.10).
    /// </summary>
    public uint RecentBoundary
    {
        get
        {
            lock (_gate)
            {
                EnsureLoadedLocked();
                return _recentUid;
            }
        }
    }

    /// <summary>
    /// RFC 3501 §2.3.2 \Recent: the first session that selects the folder read-write claims the messages that arrived
    /// since the last claim. Returns the lowest UID that is \Recent for the caller (UIDNEXT when none).
    /// </summary>
    public uint ClaimRecent()
    {
        lock (_gate)
        {
            EnsureLoadedLocked();
            uint lowest = _recentUid;
            uint uidNext = _view.UidNext;
            if (lowest < uidNext)
            {
                _recentUid = uidNext;
                Persist([], []);
            }

            return Math.Min(lowest, uidNext);
        }
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.SequentialScan);
}
