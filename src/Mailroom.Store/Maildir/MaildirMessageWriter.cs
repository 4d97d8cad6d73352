using Mailroom.IO;
using Mailroom.Store.Mailboxes;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Store.Maildir;

/// <summary>
/// One message of a <see cref="MaildirSave"/>, written into <c>tmp/&lt;unique&gt;</c> of the folder. Writes go straight
/// to the file at their offset (synchronously: a local file write lands in the page cache; an async write of a regular
/// file only moves the same call to another thread). Completing fsyncs the file (unless the commit's shared syncfs will
/// write it back: <see cref="StoreSyncMode.FileSystem"/>), closes it and dates it with the
/// message's internal date, which a rebuilt index reads back from the mtime, then computes the message's index entry
/// (<see cref="IMessageIndexer"/>) from the file just written, which the page cache still holds.
/// </summary>
internal sealed class MaildirMessageWriter : MessageWriter
{
    private readonly MaildirSave _save;
    private readonly SafeFileHandle _handle;

    public MaildirMessageWriter(MaildirSave save, SafeFileHandle handle, string tmpPath, string unique,
        MessageFlags flags, string[] keywords, DateTimeOffset? internalDate)
    {
        _save = save;
        _handle = handle;
        TmpPath = tmpPath;
        Unique = unique;
        Flags = flags;
        Keywords = keywords;
        InternalDate = internalDate;
    }

    public string TmpPath { get; }

    public string Unique { get; }

    public MessageFlags Flags { get; }

    public string[] Keywords { get; }

    public DateTimeOffset? InternalDate { get; }

    /// <summary>The base name the message is stored under: the unique name plus its <c>S=</c> and <c>W=</c> fields.</summary>
    public string BaseName => MaildirName.WithSizes(Unique, Size, WireSizeField);

    /// <summary>The message's cached fields, computed once the content is complete (null: no indexer, or it failed).</summary>
    public byte[]?[]? Cached { get; private set; }

    /// <summary>The name's <c>W=</c> value (-1: none), the record's wire size.</summary>
    public long NameWireSize => WireSizeField;

    /// <summary>Closes the file if it is still open (an aborted transaction), leaving its removal to the caller.</summary>
    public void Close() => _handle.Dispose();

    protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RandomAccess.Write(_handle, data.Span, Size);
        return default;
    }

    protected override ValueTask CompleteCoreAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_save.SyncsFileSystem)
        {
            DurableFile.FlushFile(_handle);
        }

        _handle.Dispose();
        if (InternalDate is { } date)
        {
            File.SetLastWriteTimeUtc(TmpPath, date.UtcDateTime);
        }

        Cached = _save.Describe(TmpPath);
        _save.Completed(this);
        return default;
    }
}
