using Mailroom.IO;
using Mailroom.Store.Mailboxes;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Store.Maildir;

/// <summary>
/// A save transaction on Maildir, written like a delivery: every message (and every copy, a hard link where the file
/// system has them) is staged in the folder's <c>tmp/</c> under its final base name. The commit renames the files into
/// place and makes them durable, by one syncfs shared with the saves under way (<see cref="StoreSyncMode.FileSystem"/>)
/// or by an fsync of each file as it was completed and a group-committed fsync of the directory
/// (<see cref="StoreSyncMode.Files"/>), then appends their UIDs to the
/// uidlist (fsynced) and writes their index rows before anyone sees them. A delivery (no folder) renames into INBOX's
/// <c>new/</c> (a message delivered with flags goes to <c>cur/</c> with its info letters) and numbers the messages there
/// when INBOX can take them now, else leaves that to the next reader, as the Maildir protocol has it. Abort removes
/// every staged or renamed file.
/// </summary>
internal sealed class MaildirSave : SaveTransaction
{
    private readonly MaildirStore _store;
    private readonly MaildirFolder? _folder;
    private readonly string _user;
    private readonly string _userMaildir;
    private readonly string _folderPath;
    private readonly List<Staged> _staged = [];
    private MaildirMessageWriter? _writing;

    // A delivery's hold on the INBOX, from marking its files pending until they are numbered (or removed by Abort).
    private FolderLease? _deliveryLease;

    // StoreSyncMode.FileSystem: the shared syncfs that makes this transaction durable, and the ticket taken before its
    // first file was made (null: each file is fsynced, then its directory).
    private FileSystemSyncGroup? _fileSystemSync;
    private FileSystemSyncTicket _ticket;
    private bool _enlisted;

    /// <summary>A delivery into the INBOX of <paramref name="user"/>, whose Maildir is <paramref name="maildir"/>.</summary>
    public MaildirSave(MaildirStore store, string user, string maildir)
    {
        _store = store;
        _user = user;
        _userMaildir = maildir;
        _folderPath = maildir;
    }

    /// <summary>A save into <paramref name="folder"/> (APPEND, COPY, MOVE).</summary>
    public MaildirSave(MaildirStore store, MaildirFolder folder)
    {
        _store = store;
        _folder = folder;
        _user = folder.User;
        _userMaildir = folder.Owner.Maildir;
        _folderPath = folder.FolderPath;
    }

    public override MessageWriter BeginMessage(MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        if (Committed)
        {
            throw new InvalidOperationException("The transaction is already committed.");
        }

        if (_writing is not null)
        {
            throw new InvalidOperationException("A message is still being written.");
        }

        if (_folder is null && keywords.Count > 0)
        {
            throw new ArgumentException("A delivery carries no keywords; save into the folder to set them.", nameof(keywords));
        }

        if (_folder is null)
        {
            _store.EnsureMaildir(_folderPath);
        }

        Enlist();
        string unique = _store.Names.Next();
        string tmpPath = Path.Combine(_folderPath, "tmp", unique);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(tmpPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (DirectoryNotFoundException) when (_folder is null)
        {
            // The Maildir was removed behind our back (user deleted and re-created): build it again.
            _store.ForgetMaildir(_folderPath);
            _store.EnsureMaildir(_folderPath);
            handle = File.OpenHandle(tmpPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }

        // A folder's message always carries its date (a rebuilt index reads it from the mtime); a delivery is dated by
        // the write itself unless told otherwise.
        DateTimeOffset? date = internalDate ?? (_folder is null ? null : _store.Now);
        _writing = new MaildirMessageWriter(this, handle, tmpPath, unique, flags, MailFolder.NormalizeKeywords(keywords), date);
        return _writing;
    }

    public override IReadOnlyList<uint> AddCopies(MailFolder source, IReadOnlyList<uint> uids)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(uids);
        if (source is not MaildirFolder from || !string.Equals(from.Owner.Maildir, _userMaildir, StringComparison.Ordinal))
        {
            throw new ArgumentException("COPY and MOVE work between folders of one user of one store.", nameof(source));
        }

        if (Committed)
        {
            throw new InvalidOperationException("The transaction is already committed.");
        }

        Enlist();
        var copied = new List<uint>();
        foreach ((MessageRecord record, string file) in from.Sources(uids))
        {
            // RFC 8474 §5.1: the copy keeps its original's EMAILID, carried in its name.
            string baseName = MaildirObjectNames.WithEmailId(
                MaildirName.WithSizes(_store.Names.Next(), record.Size, MaildirFileName.SizeField(record.BaseName, 'W')),
                from.GetEmailId(record));
            string tmpPath = Path.Combine(_folderPath, "tmp", baseName);
            if (!LinkOrCopy(from, record, file, tmpPath))
            {
                continue;
            }

            // The copy's index entry is the source's: same bytes, nothing to compute.
            _staged.Add(new Staged(tmpPath, record with { Uid = 0, BaseName = baseName, ModSeq = 0 }, from.CachedOf(record.Uid)));
            copied.Add(record.Uid);
        }

        return copied;
    }

    /// <summary>Whether a completed message file needs no fsync of its own: a shared syncfs at the commit covers it.</summary>
    internal bool SyncsFileSystem => _fileSystemSync is not null;

    /// <summary>A message's writer completed: it joins the transaction under its final base name.</summary>
    internal void Completed(MaildirMessageWriter writer)
    {
        var record = new MessageRecord(0, writer.BaseName, writer.Size, writer.InternalDate ?? _store.Now, writer.Flags, writer.Keywords, 0)
        {
            WireSize = writer.NameWireSize,
        };
        _staged.Add(new Staged(writer.TmpPath, record, writer.Cached));
        _writing = null;
    }

    /// <summary>The index entry of the message just written at <paramref name="path"/> (null: no indexer, or it failed).</summary>
    internal byte[]?[]? Describe(string path) =>
        MessageIndexing.TryDescribe(
            _store.Indexer,
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 64 * 1024),
            headerOnly: false,
            _store.Logger,
            path);

    protected override async ValueTask<SaveResult> CommitCoreAsync(CancellationToken cancellationToken)
    {
        if (_writing is not null)
        {
            throw new InvalidOperationException("A message is still being written.");
        }

        return _folder is null ? await DeliverAsync().ConfigureAwait(false) : await SaveAsync(_folder, cancellationToken).ConfigureAwait(false);
    }

    protected override void Abort()
    {
        if (_writing is not null)
        {
            _writing.Close();
            TryDelete(_writing.TmpPath);
            _writing = null;
        }

        foreach (Staged staged in _staged)
        {
            TryDelete(staged.FinalPath ?? staged.TmpPath);
        }

        // After the files are gone: a rescan between the two must not find them and give them UIDs.
        _folder?.RemovePending(_staged.Select(static s => s.Record.BaseName));
        if (_deliveryLease is not null)
        {
            ((MaildirFolder)_deliveryLease.Folder).RemovePending(_staged.Select(static s => s.Record.BaseName));
            _deliveryLease.Dispose();
            _deliveryLease = null;
        }
    }

    private async ValueTask<SaveResult> SaveAsync(MaildirFolder folder, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        folder.AddPending(_staged.Select(static s => s.Record.BaseName));
        var written = new List<(MessageRecord Record, string File, byte[]?[]? Cached)>(_staged.Count);
        foreach (Staged staged in _staged)
        {
            string file = "cur/" + MaildirFileName.CurName(staged.Record.BaseName, MaildirInfo.ToLetters(staged.Record.Flags));
            string path = Path.Combine(_folderPath, file);
            File.Move(staged.TmpPath, path, overwrite: false);
            staged.FinalPath = path;
            written.Add((staged.Record, file, staged.Cached));
        }

        if (written.Count > 0)
        {
            // Not cancellable from here: the files are in place; give up only if the fsync fails.
            await FlushAsync(toNew: false, toCur: true).ConfigureAwait(false);
        }

        (uint uidValidity, uint[] uids) = folder.Commit(written);
        return new SaveResult(uidValidity, uids);
    }

    private async ValueTask<SaveResult> DeliverAsync()
    {
        if (_staged.Count == 0)
        {
            return new SaveResult(0, []);
        }

        // Before the renames: a reader listing new/ meanwhile leaves these files to this delivery's numbering.
        _deliveryLease = _store.LeaseInboxForDelivery(_user);
        var inbox = (MaildirFolder)_deliveryLease.Folder;
        inbox.AddPending(_staged.Select(static s => s.Record.BaseName));
        var delivered = new List<DeliveredFile>(_staged.Count);
        bool toNew = false;
        bool toCur = false;
        foreach (Staged staged in _staged)
        {
            MessageRecord record = staged.Record;
            string file = record.Flags == MessageFlags.None
                ? "new/" + record.BaseName
                : "cur/" + MaildirFileName.CurName(record.BaseName, MaildirInfo.ToLetters(record.Flags));
            string path = Path.Combine(_folderPath, file);
            File.Move(staged.TmpPath, path, overwrite: true);
            staged.FinalPath = path;
            delivered.Add(new DeliveredFile(record, file, staged.Cached));
            toNew |= record.Flags == MessageFlags.None;
            toCur |= record.Flags != MessageFlags.None;
        }

        // Not cancellable: once renamed, the message is visible; give up only if the flush fails.
        await FlushAsync(toNew, toCur).ConfigureAwait(false);

        // The messages are durable: from here on nothing undoes them, numbering included.
        bool numbered = await NumberAsync(inbox, delivered).ConfigureAwait(false);
        _deliveryLease.Dispose();
        _deliveryLease = null;
        _store.OnDelivered(_user, _userMaildir, numbered);
        return new SaveResult(0, []);
    }

    /// <summary>
    /// Makes the renamed files durable: one syncfs shared with the saves under way on the file system (the files were not
    /// fsynced one by one), or a group-committed fsync of each directory renamed into (the files were).
    /// </summary>
    /// <exception cref="IOException">The flush failed: the files are not known to be on disk, so the save fails.</exception>
    private async Task FlushAsync(bool toNew, bool toCur)
    {
        if (_fileSystemSync is not null)
        {
            await _fileSystemSync.SyncAsync(_ticket).ConfigureAwait(false);
            return;
        }

        if (toNew)
        {
            await _store.DirectorySync.SyncAsync(Path.Combine(_folderPath, "new")).ConfigureAwait(false);
        }

        if (toCur)
        {
            await _store.DirectorySync.SyncAsync(Path.Combine(_folderPath, "cur")).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Before the transaction's first file is made: finds the folder's shared flush (if the store uses one) and takes its
    /// ticket, so a flush failing from now on fails this save too.
    /// </summary>
    private void Enlist()
    {
        if (_enlisted)
        {
            return;
        }

        _fileSystemSync = _store.FileSystemSyncFor(_folderPath);
        if (_fileSystemSync is not null)
        {
            _ticket = _fileSystemSync.Enlist();
        }

        _enlisted = true;
    }

    /// <summary>
    /// Gives the delivered messages their UIDs and index rows (dated by their files' mtimes, as a rebuilt index reads
    /// them). When the INBOX cannot take them now, their entries wait by base name for the reader that numbers them.
    /// </summary>
    private async Task<bool> NumberAsync(MaildirFolder inbox, List<DeliveredFile> delivered)
    {
        for (int i = 0; i < delivered.Count; i++)
        {
            DateTime written = File.GetLastWriteTimeUtc(Path.Combine(_folderPath, delivered[i].File));
            delivered[i] = delivered[i] with { Record = delivered[i].Record with { InternalDate = new DateTimeOffset(written, TimeSpan.Zero) } };
        }

        bool numbered = false;
        try
        {
            numbered = _store.DeliveryIndexWait > TimeSpan.Zero && await inbox.IndexDeliveredAsync(delivered, _store.DeliveryIndexWait).ConfigureAwait(false);
            return numbered;
        }
        finally
        {
            if (!numbered)
            {
                _store.SaveDelivered(_user, [.. delivered.Where(static d => d.Cached is not null).Select(static d => (d.Record.BaseName, d.Cached!))]);
                inbox.RemovePending(delivered.Select(static d => d.Record.BaseName), rescan: true);
            }
        }
    }

    /// <summary>Hard-links (or copies durably) one message into tmp/; false when the source file vanished.</summary>
    private bool LinkOrCopy(MaildirFolder from, MessageRecord record, string file, string tmpPath)
    {
        string source = Path.Combine(from.FolderPath, file);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (HardLink.TryCreate(source, tmpPath))
            {
                return true;
            }

            if (!File.Exists(source))
            {
                if (from.LocateFile(record) is not { } moved)
                {
                    return false;
                }

                source = Path.Combine(from.FolderPath, moved);
                continue;
            }

            // No hard links here (another file system, a file system without them): copy, fsync, date it.
            try
            {
                File.Copy(source, tmpPath, overwrite: false);
                using (SafeFileHandle handle = File.OpenHandle(tmpPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    DurableFile.FlushFile(handle);
                }

                File.SetLastWriteTimeUtc(tmpPath, record.InternalDate.UtcDateTime);
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
            StoreLog.CleanupFailed(_store.Logger, path, ex);
        }
    }

    /// <summary>A message of the transaction: staged in tmp/, then (during the commit) at its final path.</summary>
    private sealed class Staged(string tmpPath, MessageRecord record, byte[]?[]? cached)
    {
        public string TmpPath { get; } = tmpPath;

        public MessageRecord Record { get; } = record;

        /// <summary>Its index entry (per <see cref="CachedField"/>), or null when there is none.</summary>
        public byte[]?[]? Cached { get; } = cached;

        public string? FinalPath { get; set; }
    }
}
