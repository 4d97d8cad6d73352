using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>One message being written to <c>incoming/</c> (see <see cref="SpoolQueue"/>).</summary>
internal sealed class SpoolSubmission : IMessageSubmission
{
    /// <summary>The write buffer of the spool file: one system call per 64 KB of content.</summary>
    public const int BufferSize = 64 * 1024;

    private readonly QueueManager _manager;
    private readonly Envelope _envelope;
    private readonly string _incomingPath;
    private readonly FileStream _file;
    private readonly long _contentOffset;
    private readonly SpoolContentStream _content;
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
        _file.Flush(flushToDisk: false);
        var reader = new FileStream(_incomingPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 16 * 1024);
        reader.Position = _contentOffset;
        return reader;
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        string activePath = Path.Combine(_manager.Directories.Active, QueueId);
        try
        {
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
            var states = new RecipientState[_envelope.Recipients.Count];
            _manager.Schedule(new QueueEntry(QueueId, _envelope, activePath, _contentOffset, size, _manager.TimeProvider.GetUtcNow(), states));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"cannot queue {QueueId}: {ex.Message}", ex);
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
    }
}
