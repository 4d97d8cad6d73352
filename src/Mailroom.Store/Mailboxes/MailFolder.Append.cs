using System.Buffers;

namespace Mailroom.Store.Mailboxes;

/// <summary>APPEND, COPY and MOVE: written like a delivery (tmp → fsync → rename → directory fsync), then a UID.</summary>
public sealed partial class MailFolder
{
    private const int CopyBufferSize = 64 * 1024;

    /// <summary>
    /// APPEND (RFC 9051 §6.3.12): the message is durable (file, directory and uidlist fsynced) before the UID is
    /// returned. The file's mtime is set to <paramref name="internalDate"/> so a rebuilt index finds it again.
    /// </summary>
    public async ValueTask<uint> AppendAsync(Stream content, MessageFlags flags, IReadOnlyList<string> keywords,
        DateTimeOffset internalDate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(keywords);
        EnsureLoaded();
        string folder = _path;
        string unique = _owner.Repository.Names.Next();
        string tmpPath = Path.Combine(folder, "tmp", unique);
        string? curPath = null;
        string? baseName = null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long size = 0;
            var wireSize = new WireSizeCounter();
            using (var handle = File.OpenHandle(tmpPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    RandomAccess.Write(handle, buffer.AsSpan(0, read), size);
                    wireSize.Add(buffer.AsSpan(0, read));
                    size += read;
                }

                DurableFile.FlushFile(handle);
            }

            File.SetLastWriteTimeUtc(tmpPath, internalDate.UtcDateTime);
            baseName = MaildirName.WithSizes(unique, size, wireSize.NameField);
            string file = "cur/" + MaildirFileName.CurName(baseName, MaildirInfo.ToLetters(flags));
            curPath = Path.Combine(folder, file);
            lock (_gate)
            {
                _pending.Add(baseName);
            }

            File.Move(tmpPath, curPath, overwrite: false);
            await _owner.Repository.DirectorySync.SyncAsync(Path.Combine(folder, "cur")).ConfigureAwait(false);

            var record = new MessageRecord(0, baseName, size, internalDate, flags, NormalizeKeywords(keywords), 0);
            uint uid = Commit([(record, file)])[0];
            RaiseChanged();
            return uid;
        }
        catch
        {
            TryDelete(tmpPath);
            if (curPath is not null)
            {
                TryDelete(curPath);
            }

            throw;
        }
        finally
        {
            if (baseName is not null)
            {
                lock (_gate)
                {
                    _pending.Remove(baseName);
                }
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// COPY (RFC 9051 §6.4.7) to a folder of the same user: a hard link of each file under a new unique name (a
    /// durable copy where links are impossible), flags and keywords kept, then UIDs in the target. Messages that
    /// vanished meanwhile are skipped. Returns the UIDPLUS data (RFC 4315 COPYUID).
    /// </summary>
    public CopyResult CopyTo(MailFolder target, IReadOnlyList<uint> uids)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(uids);
        if (!ReferenceEquals(target._owner, _owner))
        {
            throw new ArgumentException("COPY and MOVE work between folders of one user.", nameof(target));
        }

        EnsureLoaded();
        target.EnsureLoaded();
        var sources = new List<(MessageRecord Record, string File)>();
        lock (_gate)
        {
            foreach (uint uid in uids.Distinct().Order())
            {
                int index = _view.IndexOfUid(uid);
                if (index >= 0)
                {
                    sources.Add((_view.MessageArray[index], FileOf(_view.MessageArray[index])));
                }
            }
        }

        string targetFolder = target._path;
        var linked = new List<(MessageRecord Record, string File)>(sources.Count);
        var sourceUids = new List<uint>(sources.Count);
        try
        {
            foreach ((MessageRecord record, string file) in sources)
            {
                string baseName = MaildirName.WithSizes(_owner.Repository.Names.Next(), record.Size, MaildirFileName.SizeField(record.BaseName, 'W'));
                string targetFile = "cur/" + MaildirFileName.CurName(baseName, MaildirInfo.ToLetters(record.Flags));
                lock (target._gate)
                {
                    target._pending.Add(baseName);
                }

                if (!LinkOrCopy(record, file, Path.Combine(targetFolder, targetFile), Path.Combine(targetFolder, "tmp", baseName)))
                {
                    lock (target._gate)
                    {
                        target._pending.Remove(baseName);
                    }

                    continue;
                }

                linked.Add((record with { BaseName = baseName }, targetFile));
                sourceUids.Add(record.Uid);
            }

            if (linked.Count > 0)
            {
                DurableFile.FlushDirectory(Path.Combine(targetFolder, "cur"));
            }

            uint[] destination = target.Commit(linked);
            if (destination.Length > 0)
            {
                target.RaiseChanged();
            }

            return new CopyResult(target.Current.UidValidity, sourceUids, destination);
        }
        catch
        {
            foreach ((_, string file) in linked)
            {
                TryDelete(Path.Combine(targetFolder, file));
            }

            throw;
        }
        finally
        {
            lock (target._gate)
            {
                foreach ((MessageRecord record, _) in linked)
                {
                    target._pending.Remove(record.BaseName);
                }
            }
        }
    }

    /// <summary>MOVE (RFC 6851): COPY, then the copied messages leave this folder (whatever their flags).</summary>
    public CopyResult MoveTo(MailFolder target, IReadOnlyList<uint> uids)
    {
        CopyResult copied = CopyTo(target, uids);
        List<uint> removed;
        lock (_gate)
        {
            removed = RemoveLocked(copied.SourceUids);
        }

        if (removed.Count > 0)
        {
            RaiseChanged();
        }

        return copied;
    }

    /// <summary>Gives the written files UIDs (uidlist fsynced) and publishes them. Returns the UIDs in order.</summary>
    private uint[] Commit(List<(MessageRecord Record, string File)> written)
    {
        if (written.Count == 0)
        {
            return [];
        }

        lock (_gate)
        {
            ulong modSeq = _highestModSeq + 1;
            uint[] assigned = _uids!.Assign([.. written.Select(static w => w.Record.BaseName)]);
            var records = new MessageRecord[written.Count];
            for (int i = 0; i < written.Count; i++)
            {
                records[i] = written[i].Record with { Uid = assigned[i], ModSeq = modSeq };
                SetFile(records[i], written[i].File);
                _pending.Remove(written[i].Record.BaseName);
            }

            _highestModSeq = modSeq;
            Persist(records, []);
            Publish([.. _view.MessageArray, .. records]);
            return assigned;
        }
    }

    /// <summary>Hard-links (or copies durably) one message; false when the source file vanished.</summary>
    private bool LinkOrCopy(MessageRecord record, string file, string targetPath, string tmpPath)
    {
        string? source = Path.Combine(_path, file);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (!OperatingSystem.IsWindows() && LibC.Link(source, targetPath) == 0)
            {
                return true;
            }

            if (!File.Exists(source))
            {
                lock (_gate)
                {
                    source = Locate(record.BaseName) is { } moved ? Path.Combine(_path, moved) : null;
                }

                if (source is null)
                {
                    return false;
                }

                continue;
            }

            // No hard links here (another file system, a file system without them): copy, fsync, rename.
            try
            {
                File.Copy(source, tmpPath, overwrite: false);
                using (var handle = File.OpenHandle(tmpPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    DurableFile.FlushFile(handle);
                }

                File.SetLastWriteTimeUtc(tmpPath, record.InternalDate.UtcDateTime);
                File.Move(tmpPath, targetPath, overwrite: false);
                return true;
            }
            catch (FileNotFoundException)
            {
                // The source vanished between the check and the copy: look for it once more.
                TryDelete(tmpPath);
            }
            catch
            {
                TryDelete(tmpPath);
                throw;
            }
        }

        return false;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MailboxLog.RemoveFailed(_logger, path, ex);
        }
    }
}
