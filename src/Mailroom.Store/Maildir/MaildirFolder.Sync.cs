using System.IO.Enumeration;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>Reconciling the folder with its Maildir directories (first load and <see cref="MaildirFolder.Refresh()"/>).</summary>
internal sealed partial class MaildirFolder
{
    /// <summary>
    /// Rescans new/ and cur/ and applies what changed: known base names keep their UID (flag letters changed by
    /// others become flag changes with a new mod-sequence), vanished ones are expunged, new ones get UIDs in
    /// delivery order (uidlist fsynced first) and move to cur/ when a <see cref="FolderAccess.Reader"/> looks. On the first load, UIDs
    /// come from the uidlist and everything else from the cache when it agrees. Returns whether the snapshot changed.
    /// </summary>
    private bool SynchronizeLocked(bool initial, DateTime newStamp, DateTime curStamp, FolderAccess access, Dictionary<uint, MessageRecord>? cached = null)
    {
        UidList uids = _uids!;

        // A folder the index knew no message of has no cached rows either: what this load indexes is the whole cache,
        // kept in memory so that the first FETCH does not read back from the index what was just written to it.
        bool cacheComplete = initial && cached is { Count: 0 } && _cached is null;
        long pendingReleases = Interlocked.Read(ref _pendingReleases);
        DateTime scanStart = _time.GetUtcNow().UtcDateTime;
        Dictionary<string, string> scan = Scan();
        foreach (MessageRecord record in _view.MessageArray)
        {
            if (!scan.ContainsKey(record.BaseName))
            {
                // readdir(3) may skip an entry renamed while it runs (a flag change by another agent): list once
                // more before calling anything expunged; the union of both listings is what exists.
                foreach (KeyValuePair<string, string> entry in Scan())
                {
                    scan[entry.Key] = entry.Value;
                }

                break;
            }
        }

        ulong modSeq = _highestModSeq + 1;
        var messages = new List<MessageRecord>(Math.Max(scan.Count, _view.Messages.Count));
        var upserts = new List<MessageRecord>();
        var deletes = new List<uint>();
        foreach (MessageRecord record in _view.MessageArray)
        {
            if (!scan.Remove(record.BaseName, out string? file))
            {
                deletes.Add(record.Uid);
                _files.Remove(record.Uid);
                _cached?.Remove(record.Uid);
                continue;
            }

            MessageFlags flags = FlagsOf(file);
            MessageRecord current = record;
            if (flags != record.Flags)
            {
                current = record with { Flags = flags, ModSeq = modSeq };
                upserts.Add(current);
            }

            SetFile(current, file);
            messages.Add(current);
        }

        var fresh = new List<(string BaseName, string File)>();
        var numbered = new List<(uint Uid, string BaseName, string File)>();
        var taken = new HashSet<uint>();
        foreach ((string baseName, string file) in scan)
        {
            if (IsPending(baseName))
            {
                continue;
            }

            // After the first load a base name we no longer list is a new message: UIDs only grow.
            if (initial && uids.TryGetUid(baseName, out uint uid) && taken.Add(uid))
            {
                if (cached is not null && cached.Remove(uid, out MessageRecord? known) && known.BaseName == baseName)
                {
                    MessageFlags flags = FlagsOf(file);
                    if (known.Flags != flags)
                    {
                        known = known with { Flags = flags, ModSeq = modSeq };
                        upserts.Add(known);
                    }

                    SetFile(known, file);
                    messages.Add(known);
                }
                else
                {
                    // In the uidlist but not in the index (a lost or rebuilt cache): read like a file just found.
                    numbered.Add((uid, baseName, file));
                }
            }
            else
            {
                fresh.Add((baseName, file));
            }
        }

        if (cached is not null)
        {
            deletes.AddRange(cached.Keys);
        }

        List<(uint Uid, byte[]?[] Values)> indexed = AddFound(numbered, fresh, modSeq, messages, upserts, describe: access != FolderAccess.Agent);

        if (initial)
        {
            messages.Sort(static (a, b) => a.Uid.CompareTo(b.Uid));
            if (uids.EntryCount > (2 * messages.Count) + 64)
            {
                // Compaction: drop the lines of expunged messages; the header keeps the next UID.
                uids.Rewrite(messages.Select(static m => KeyValuePair.Create(m.BaseName, m.Uid)));
            }
        }

        _newStamp = newStamp;
        _curStamp = curStamp;
        _stampsTrusted = newStamp < scanStart - UnstableDirectoryAge && curStamp < scanStart - UnstableDirectoryAge;
        if (access == FolderAccess.Reader)
        {
            MoveNewToCur(messages);
        }

        // The rows may vouch for these mtimes at the next cold open only when the stamps were trustworthy, no APPEND
        // had a file on disk without its UID yet, and every file has the name FileOf gives it (_files is empty).
        // A delivery that handed its files back after this scan skipped them (pending) makes the scan incomplete.
        _seenPendingReleases = pendingReleases;
        bool vouch = _stampsTrusted && !AnyPending() && _files.Count == 0 && Interlocked.Read(ref _pendingReleases) == pendingReleases;
        (long syncedNew, long syncedCur) = vouch ? (newStamp.Ticks, curStamp.Ticks) : (0L, 0L);
        bool syncedChanged = syncedNew != _syncedNewTicks || syncedCur != _syncedCurTicks;
        _syncedNewTicks = syncedNew;
        _syncedCurTicks = syncedCur;

        bool changed = upserts.Count > 0 || deletes.Count > 0;
        if (changed && (deletes.Count > 0 || upserts.Exists(r => r.ModSeq == modSeq)))
        {
            _highestModSeq = modSeq;
        }

        if (deletes.Count > 0)
        {
            // Files gone behind our back (POP3 of another process, a mail client on the Maildir): expunged at modSeq.
            Expunges.Add(deletes, modSeq);
        }

        if (changed || initial || syncedChanged)
        {
            if (cacheComplete)
            {
                _cached = new Dictionary<uint, byte[]?[]>(indexed.Count);
            }

            // The entries of files found here are written right after the reply (a first EXAMINE of a copied Maildir
            // of 10,000 messages would otherwise wait for 20,000 rows): the folder has them in memory meanwhile, or
            // reads them back from the index, which writes them before any other query.
            Persist(upserts, deletes, indexed, cachedSoon: true);
            Publish([.. messages]);
        }

        return changed && !initial;
    }

    private static MessageFlags FlagsOf(string file) => MaildirInfo.ToFlags(MaildirFileName.InfoLetters(file));

    /// <summary>base name → "new/name" or "cur/name"; cur/ listed last so that it wins for a message being moved.</summary>
    private Dictionary<string, string> Scan()
    {
        var result = new Dictionary<string, string>(Math.Max(16, _view.Messages.Count), StringComparer.Ordinal);
        foreach (string sub in (ReadOnlySpan<string>)["new", "cur"])
        {
            string prefix = sub + "/";
            var names = new FileSystemEnumerable<string>(
                Path.Combine(_path, sub),
                static (ref FileSystemEntry entry) => entry.FileName.ToString(),
                new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true })
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory,
            };
            foreach (string name in names)
            {
                if (MaildirFileName.IsMessageName(name))
                {
                    result[MaildirFileName.BaseName(name)] = prefix + name;
                }
            }
        }

        return result;
    }

    /// <summary>Messages found in new/ move to cur/ with their info suffix (a mail reader has seen them).</summary>
    private void MoveNewToCur(IReadOnlyList<MessageRecord> messages)
    {
        if (!_files.Values.Any(static file => file.StartsWith("new/", StringComparison.Ordinal)))
        {
            // The usual case: nothing is remembered in new/, so nothing is read from the messages.
            return;
        }

        foreach (MessageRecord record in messages)
        {
            if (!_files.TryGetValue(record.Uid, out string? file) || !file.StartsWith("new/", StringComparison.Ordinal))
            {
                continue;
            }

            string name = file[4..];
            string target = "cur/" + MaildirFileName.CurName(record.BaseName, MaildirInfo.ToLetters(record.Flags, MaildirFileName.InfoLetters(name)));
            try
            {
                File.Move(Path.Combine(_path, file), Path.Combine(_path, target), overwrite: false);
                SetFile(record, target);
            }
            catch (IOException)
            {
                // Moved or removed by another agent meanwhile (POP3 marking it seen): the next rescan finds out.
                _newStamp = default;
            }
        }
    }
}
