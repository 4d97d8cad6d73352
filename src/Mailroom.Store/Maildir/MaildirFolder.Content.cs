using Mailroom.IO;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>Message content, cached protocol data and \Recent.</summary>
internal sealed partial class MaildirFolder
{
    /// <summary>
    /// The message file, read-only, following it if another agent renamed it; the held file of a message removed while a
    /// session may still show it (RFC 2180 §4.1.1, see <see cref="ExpungedContentHold"/>).
    /// </summary>
    public override Stream OpenContent(uint uid)
    {
        string? file;
        string baseName;
        lock (_gate)
        {
            int index = _view.IndexOfUid(uid);
            if (index < 0)
            {
                return Held.TryOpen(uid) ?? throw new MessageGoneException($"UID {uid} is not in {Name}.");
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
                file = System.IO.Directory.Exists(_path) ? Locate(baseName) : null;
                if (file is null)
                {
                    // Removed since the lookup above: held when a session may still show it.
                    return Held.TryOpen(uid) ?? throw new MessageGoneException($"UID {uid} of {Name} was removed.", ex);
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

    /// <summary>The folder's cached data is read from the index in one query on first use.</summary>
    public override byte[]? GetCached(uint uid, CachedField field)
    {
        lock (_gate)
        {
            EnsureLoadedLocked();
            _cached ??= _owner.Index.LoadCached(_indexed!.Id);
            return _cached.TryGetValue(uid, out byte[]?[]? values) ? values[(int)field] : null;
        }
    }

    public override void SetCached(uint uid, CachedField field, byte[] value)
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
                    values = new byte[]?[CachedFields.Count];
                    _cached[uid] = values;
                }

                values[(int)field] = value;
            }
        }
    }

    public override uint RecentBoundary
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

    /// <summary>The claim is kept in the index, so it survives a restart.</summary>
    public override uint ClaimRecent(uint upTo)
    {
        lock (_gate)
        {
            EnsureLoadedLocked();
            uint lowest = _recentUid;
            uint limit = Math.Min(upTo, _view.UidNext);
            if (lowest < limit)
            {
                _recentUid = limit;
                Persist([], []);
            }

            return lowest;
        }
    }

    // Unbuffered (the readers read in large chunks of their own, and FETCH and RETR of a whole file use the handle with
    // RandomAccess) and without FileOptions.SequentialScan, which only adds a posix_fadvise call per open: the kernel
    // reads ahead anyway.
    // Only a regular file: a FIFO or device another program left in new/ or cur/ fails the read instead of hanging it.
    private static FileStream Open(string path) => new(RegularFile.OpenRead(path), FileAccess.Read, bufferSize: 0);
}
