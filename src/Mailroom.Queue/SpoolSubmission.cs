using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>One message being written to <c>incoming/</c> (see <see cref="SpoolQueue"/>).</summary>
internal sealed class SpoolSubmission : IMessageSubmission
{
    /// <summary>The write buffer of the spool file: one system call per 64 KB of content.</summary>
    public const int BufferSize = 64 * 1024;

    private readonly QueueManager _manager;
    private readonly SpoolContentStream _content;
    private Envelope _envelope;
    private string _incomingPath;
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

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        string activePath = Path.Combine(_manager.Directories.Active, QueueId);
        try
        {
            if (_annotation is not null)
            {
                await RewriteAnnotatedAsync(_annotation, cancellationToken).ConfigureAwait(false);
            }

            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
            _file.Flush(flushToDisk: true);
            long size = _file.Length - _contentOffset;
            _closed = true;
            await _file.DisposeAsync().ConfigureAwait(false);

            File.Move(_incomingPath, activePath, overwrite: true);
            try
            {
                // Not cancellable: after the rename only a failed fsync may take the message back.
                await _manager.Directories.Sync.SyncAsync(_manager.Directories.Active).ConfigureAwait(false);
            }
            catch
            {
                File.Delete(activePath);
                throw;
            }

            _committed = true;
            _manager.UntrackIncoming(QueueId);
            _manager.UntrackIncoming(QueueId + ".a");
            var states = new RecipientState[_envelope.Recipients.Count];
            _manager.Schedule(new QueueEntry(QueueId, _envelope, activePath, _contentOffset, size, _manager.TimeProvider.GetUtcNow(), states));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"cannot queue {QueueId}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The envelope record is written first and the prefix belongs before the content, so an annotated message is
    /// written anew: amended envelope, prefix, then the content copied from the first file (still in the page cache,
    /// never fsynced), which is then deleted. Only messages checked at end of DATA pay for this copy.
    /// </summary>
    private async ValueTask RewriteAnnotatedAsync(MessageAnnotation annotation, CancellationToken cancellationToken)
    {
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        Envelope amended = _envelope with { Authentication = annotation.Authentication, Quarantine = annotation.Quarantine };
        string path = _incomingPath + ".a";
        _manager.TrackIncoming(QueueId + ".a");
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, BufferSize);
        try
        {
            long offset = QueueFile.WriteHeader(file, amended);
            file.Write(System.Text.Encoding.UTF8.GetBytes(annotation.HeaderPrefix));
            using (var content = new SpoolReadStream(_file.SafeFileHandle, _contentOffset, _file.Length - _contentOffset))
            {
                await content.CopyToAsync(file, BufferSize, cancellationToken).ConfigureAwait(false);
            }

            FileStream old = _file;
            string oldPath = _incomingPath;
            _file = file;
            _incomingPath = path;
            _contentOffset = offset;
            _envelope = amended;
            _content.Retarget(file);
            await old.DisposeAsync().ConfigureAwait(false);
            File.Delete(oldPath);
        }
        catch
        {
            if (!ReferenceEquals(_file, file))
            {
                await file.DisposeAsync().ConfigureAwait(false);
                File.Delete(path);
                _manager.UntrackIncoming(QueueId + ".a");
            }

            throw;
        }
    }

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
        _manager.UntrackIncoming(QueueId + ".a");
    }
}
