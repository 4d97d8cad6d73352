using Microsoft.Win32.SafeHandles;
using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>One message being written to <c>incoming/</c> (see <see cref="SpoolQueue"/>).</summary>
internal sealed class SpoolSubmission : IMessageSubmission
{
    /// <summary>The write buffer of the spool file: one system call per 64 KB of content.</summary>
    public const int BufferSize = 64 * 1024;

    private readonly QueueManager _manager;
    private SpoolContentStream _content;
    private Envelope _envelope;
    private readonly string _incomingPath;
    private FileStream _file;
    private long _contentOffset;
    private MessageAnnotation? _annotation;
    private bool _committed;
    private bool _closed;

    public SpoolSubmission(QueueManager manager, string queueId, Envelope envelope, string incomingPath, FileStream file, long contentOffset)
    {
        _manager = manager;
        QueueId = queueId;
        _envelope = envelope;
        _incomingPath = incomingPath;
        _file = file;
        _contentOffset = contentOffset;
        _content = new SpoolContentStream(file);
    }

    public string QueueId { get; }

    public Stream Content => _content;

    public Stream OpenWrittenContent()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _file.Flush();
        return new SpoolReadStream(_file.SafeFileHandle, _contentOffset, _file.Length - _contentOffset);
    }

    public void Annotate(MessageAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        _annotation = annotation;
    }

    /// <summary>
    /// The new content goes to a second file beside the first (same envelope record), which is then renamed over it; a
    /// crash meanwhile leaves files in <c>incoming/</c>, never acknowledged, which recovery drops.
    /// </summary>
    public async ValueTask ReplaceContentAsync(Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        ObjectDisposedException.ThrowIf(_closed, this);
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        string path = _incomingPath + ".new";
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, BufferSize);
        long offset;
        try
        {
            offset = QueueFile.WriteHeader(file, _envelope);
            await write(new SpoolContentStream(file), cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            File.Move(path, _incomingPath, overwrite: true);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            File.Delete(path);
            throw;
        }

        await _file.DisposeAsync().ConfigureAwait(false);
        _file = file;
        _content = new SpoolContentStream(file);
        _contentOffset = offset;
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        bool hold = _annotation?.Hold == true;
        string activePath = Path.Combine(hold ? _manager.Directories.Hold : _manager.Directories.Active, QueueId);
        try
        {
            if (_annotation is not null)
            {
                await RewriteAnnotatedAsync(_annotation, cancellationToken).ConfigureAwait(false);
            }

            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
            long size = _file.Length - _contentOffset;
            if (!hold && _manager.AcceptsDirectDelivery(_envelope))
            {
                await CommitDirectAsync(size).ConfigureAwait(false);
                return;
            }

            _file.Flush(flushToDisk: true);
            _closed = true;
            await _file.DisposeAsync().ConfigureAwait(false);

            File.Move(_incomingPath, activePath, overwrite: true);
            try
            {
                // Not cancellable: after the rename only a failed fsync may take the message back.
                await _manager.Directories.Sync.SyncAsync(Path.GetDirectoryName(activePath)!).ConfigureAwait(false);
            }
            catch
            {
                File.Delete(activePath);
                throw;
            }

            _committed = true;
            _manager.UntrackIncoming(QueueId);
            if (hold)
            {
                // Quarantined by a milter: kept on hold, listed by `mailroom queue`, delivered once released.
                return;
            }

            var states = new RecipientState[_envelope.Recipients.Count];
            _manager.Schedule(new QueueEntry(QueueId, _envelope, activePath, _contentOffset, size, _manager.TimeProvider.GetUtcNow(), states));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"cannot queue {QueueId}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Every recipient local: the first delivery attempt runs now, from the spool file in <c>incoming/</c> (see
    /// <c>QueueManager.Direct.cs</c>). When it leaves nobody pending, the copies are durable in the mailboxes and the
    /// spool file, never fsynced, is removed; otherwise the file is fsynced and kept in <c>deferred/</c>.
    /// </summary>
    private async ValueTask CommitDirectAsync(long size)
    {
        var entry = new QueueEntry(QueueId, _envelope, _incomingPath, _contentOffset, size, _manager.TimeProvider.GetUtcNow(),
            new RecipientState[_envelope.Recipients.Count]);
        await _manager.DeliverDirectAsync(entry, () => new SpoolReadStream(_file.SafeFileHandle, _contentOffset, size)).ConfigureAwait(false);
        if (entry.PendingCount > 0)
        {
            _file.Flush(flushToDisk: true);
        }

        _closed = true;
        await _file.DisposeAsync().ConfigureAwait(false);
        if (entry.PendingCount > 0)
        {
            await _manager.DeferDirectAsync(entry).ConfigureAwait(false);
        }
        else
        {
            await _manager.FinishDirectAsync(entry).ConfigureAwait(false);
            File.Delete(_incomingPath);
        }

        _committed = true;
        _manager.UntrackIncoming(QueueId);
    }

    /// <summary>
    /// The envelope record is written first and the prefix belongs before the content, so an annotated message is
    /// rewritten in place: the content moves up (copied backwards from its end, within the page cache) to make room
    /// for the amended envelope and the prefix, which then go in front. No second file: creating one per message is
    /// what limits delivery on this queue (bench/RESULTS.md). A crash meanwhile leaves a file in <c>incoming/</c>,
    /// which was never acknowledged and which recovery drops.
    /// </summary>
    private async ValueTask RewriteAnnotatedAsync(MessageAnnotation annotation, CancellationToken cancellationToken)
    {
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        Envelope amended = Amend(_envelope, annotation);
        byte[] head;
        long newOffset;
        using (var header = new MemoryStream())
        {
            newOffset = QueueFile.WriteHeader(header, amended);
            header.Write(System.Text.Encoding.UTF8.GetBytes(annotation.HeaderPrefix));
            head = header.ToArray();
        }

        SafeFileHandle handle = _file.SafeFileHandle;
        long contentStart = _contentOffset;
        long contentLength = _file.Length - contentStart;
        long shift = head.Length - contentStart;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // Moving up, copy from the end; moving down (a shorter head), from the start: never over unread bytes.
            long done = 0;
            while (done < contentLength)
            {
                int chunk = (int)Math.Min(BufferSize, contentLength - done);
                long from = shift >= 0 ? contentStart + contentLength - done - chunk : contentStart + done;
                int read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, chunk), from, cancellationToken).ConfigureAwait(false);
                if (read != chunk)
                {
                    throw new IOException($"short read rewriting {_incomingPath}");
                }

                await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, chunk), from + shift, cancellationToken).ConfigureAwait(false);
                done += chunk;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        await RandomAccess.WriteAsync(handle, head, 0, cancellationToken).ConfigureAwait(false);
        if (shift < 0)
        {
            _file.SetLength(head.Length + contentLength);
        }

        _file.Seek(0, SeekOrigin.End);
        _contentOffset = newOffset;
        _envelope = amended;
    }

    /// <summary>The envelope to queue once <paramref name="annotation"/> is taken into account.</summary>
    internal static Envelope Amend(Envelope envelope, MessageAnnotation annotation) =>
        (annotation.Envelope ?? envelope) with { Authentication = annotation.Authentication, Quarantine = annotation.Quarantine, Spam = annotation.Spam, HoldReason = annotation.HoldReason };

    public async ValueTask DisposeAsync()
    {
        if (_committed)
        {
            return;
        }

        _committed = true;
        _closed = true;
        try
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Flushing the buffer of an abandoned message failed; the file is deleted anyway.
        }

        File.Delete(_incomingPath);
        _manager.UntrackIncoming(QueueId);
    }
}
