using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>STORE and EXPUNGE.</summary>
internal sealed partial class MaildirFolder
{
    /// <summary>
    /// System flags are the file name's info letters (the file is renamed, so mutt and other readers see them);
    /// keywords live in the index.
    /// </summary>
    public override FlagUpdateResult UpdateFlags(IReadOnlyList<uint> uids, FlagUpdateMode mode, MessageFlags flags,
        IReadOnlyList<string> keywords, ulong? unchangedSince)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(keywords);
        var changed = new List<MessageRecord>();
        var modified = new List<uint>();
        lock (_gate)
        {
            EnsureLoadedLocked();
            MessageRecord[] messages = _view.MessageArray;
            MessageRecord[]? updated = null;
            ulong modSeq = _highestModSeq + 1;
            string[] requested = NormalizeKeywords(keywords);
            foreach (uint uid in uids.Distinct().Order())
            {
                int index = _view.IndexOfUid(uid);
                if (index < 0)
                {
                    continue;
                }

                MessageRecord record = messages[index];
                if (unchangedSince is { } limit && record.ModSeq > limit)
                {
                    modified.Add(uid);
                    continue;
                }

                if (UpdatedFlags(record, mode, flags, requested) is not { } update)
                {
                    continue;
                }

                (MessageFlags newFlags, string[] newKeywords) = update;

                if (newFlags != record.Flags && !RenameForFlags(record, newFlags))
                {
                    // The file is gone (expunged by another agent); the next Refresh reports it.
                    continue;
                }

                updated ??= (MessageRecord[])messages.Clone();
                updated[index] = record with { Flags = newFlags, Keywords = newKeywords, ModSeq = modSeq };
                changed.Add(updated[index]);
            }

            if (updated is not null)
            {
                _highestModSeq = modSeq;
                Persist(changed, []);
                Publish(updated);
            }
        }

        if (changed.Count > 0)
        {
            RaiseChanged();
        }

        return new FlagUpdateResult(changed, modified);
    }

    public override IReadOnlyList<uint> Expunge(IReadOnlyList<uint>? uids)
    {
        (List<uint> Uids, bool FromNew, bool FromCur) removal;
        lock (_gate)
        {
            EnsureLoadedLocked();
            HashSet<uint>? only = uids is null ? null : [.. uids];
            var doomed = new List<uint>();
            foreach (MessageRecord record in _view.MessageArray)
            {
                if (record.Flags.HasFlag(MessageFlags.Deleted) && (only is null || only.Contains(record.Uid)))
                {
                    doomed.Add(record.Uid);
                }
            }

            removal = RemoveLocked(doomed);
        }

        return Removed(removal);
    }

    public override IReadOnlyList<uint> Remove(IReadOnlyList<uint> uids)
    {
        ArgumentNullException.ThrowIfNull(uids);
        (List<uint> Uids, bool FromNew, bool FromCur) removal;
        lock (_gate)
        {
            EnsureLoadedLocked();
            removal = RemoveLocked(uids);
        }

        return Removed(removal);
    }

    /// <summary>
    /// After <see cref="RemoveLocked"/>: tells the sessions and the quota, then fsyncs the directories the files left,
    /// so that a crash cannot bring back a message the client was told is gone.
    /// </summary>
    private List<uint> Removed((List<uint> Uids, bool FromNew, bool FromCur) removal)
    {
        if (removal.Uids.Count == 0)
        {
            return removal.Uids;
        }

        RaiseChanged();
        _owner.Store.OnUsageChanged(User);
        if (removal.FromNew)
        {
            _owner.Store.FlushDirectory(Path.Combine(_path, "new"));
        }

        if (removal.FromCur)
        {
            _owner.Store.FlushDirectory(Path.Combine(_path, "cur"));
        }

        return removal.Uids;
    }

    /// <summary>Deletes message files (whatever their flags) and publishes the snapshot without them.</summary>
    private (List<uint> Uids, bool FromNew, bool FromCur) RemoveLocked(IEnumerable<uint> uids)
    {
        var removed = new List<uint>();
        var holds = new List<(uint Uid, HeldMessageFile File)>();
        bool fromNew = false;
        bool fromCur = false;
        foreach (uint uid in uids.Distinct().Order())
        {
            int index = _view.IndexOfUid(uid);
            if (index < 0)
            {
                continue;
            }

            string file = FileOf(_view.MessageArray[index]);
            HeldMessageFile? held = null;
            try
            {
                if (!File.Exists(Path.Combine(_path, file)) && Locate(_view.MessageArray[index].BaseName) is { } moved)
                {
                    // Renamed by another agent since our last look: remove it under its new name.
                    file = moved;
                }

                held = Hold(Path.Combine(_path, file));
                File.Delete(Path.Combine(_path, file));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                MailboxLog.RemoveFailed(_logger, Path.Combine(_path, file), ex);
                if (held is not null)
                {
                    held.Release();
                    Held.Unreserve();
                }

                continue;
            }

            if (held is not null)
            {
                holds.Add((uid, held));
            }

            fromNew |= file.StartsWith("new/", StringComparison.Ordinal);
            fromCur |= file.StartsWith("cur/", StringComparison.Ordinal);
            removed.Add(uid);
        }

        if (removed.Count > 0)
        {
            var gone = new HashSet<uint>(removed);
            foreach (uint uid in removed)
            {
                _files.Remove(uid);
                _cached?.Remove(uid);
            }

            // RFC 7162 §3.1.2: an expunge also raises HIGHESTMODSEQ; §3.2: the UIDs are remembered with it.
            _highestModSeq++;
            Expunges.Add(removed, _highestModSeq);
            try
            {
                Persist([], removed);
            }
            catch
            {
                // The files are gone but no snapshot says so yet: nothing may stay held for them.
                foreach ((_, HeldMessageFile held) in holds)
                {
                    held.Release();
                    Held.Unreserve();
                }

                throw;
            }

            Publish([.. _view.MessageArray.Where(m => !gone.Contains(m.Uid))]);
            foreach ((uint uid, HeldMessageFile held) in holds)
            {
                Held.Keep(uid, _version, held);
            }
        }

        return (removed, fromNew, fromCur);
    }

    /// <summary>
    /// RFC 2180 §4.1.1: the file of a message about to be removed, kept open while a session may still show it (see
    /// <see cref="ExpungedContentHold"/>); null when no session could, the store-wide bound is reached, or it is gone.
    /// </summary>
    private HeldMessageFile? Hold(string path)
    {
        if (!Held.TryReserve())
        {
            return null;
        }

        HeldMessageFile? held = null;
        try
        {
            held = HeldMessageFile.TryOpen(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not holding it only costs the sessions that still show it their reads (RFC 2180 §4.1.3); the removal goes on.
            MailboxLog.HoldFailed(_logger, path, ex);
        }

        if (held is null)
        {
            Held.Unreserve();
        }

        return held;
    }

    /// <summary>Renames the message's file to carry <paramref name="flags"/>; false when the file has vanished.</summary>
    private bool RenameForFlags(MessageRecord record, MessageFlags flags)
    {
        string file = FileOf(record);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            string name = file[(file.IndexOf('/', StringComparison.Ordinal) + 1)..];
            string target = "cur/" + MaildirFileName.CurName(record.BaseName, MaildirInfo.ToLetters(flags, MaildirFileName.InfoLetters(name)));
            try
            {
                if (target != file)
                {
                    File.Move(Path.Combine(_path, file), Path.Combine(_path, target), overwrite: false);
                }

                _files[record.Uid] = target;
                return true;
            }
            catch (FileNotFoundException)
            {
                if (Locate(record.BaseName) is not { } moved)
                {
                    return false;
                }

                file = moved;
            }
        }

        return false;
    }

    /// <summary>Where a message is now, when another agent renamed it: "cur/…" or "new/…", or null when gone.</summary>
    private string? Locate(string baseName)
    {
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new"])
        {
            string directory = Path.Combine(_path, sub);
            foreach (string path in System.IO.Directory.EnumerateFiles(directory, baseName + "*"))
            {
                string name = Path.GetFileName(path);
                if (MaildirFileName.BaseName(name) == baseName)
                {
                    return sub + "/" + name;
                }
            }
        }

        return null;
    }

    private void EnsureLoadedLocked()
    {
        if (!_loaded)
        {
            LoadLocked(FolderAccess.Reader);
        }
    }
}
