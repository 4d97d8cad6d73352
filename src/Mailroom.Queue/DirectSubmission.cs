using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>
/// A message whose every recipient is local, received into memory (up to <see cref="QueueOptions.DirectMemoryLimit"/>)
/// instead of a spool file: its commit delivers it into the mailboxes from memory (<c>QueueManager.Direct.cs</c>), so
/// the only files created are the mailbox copies, each fsynced by the store before the <c>250</c>. A spool file is
/// written only when one is needed: the message outgrows the limit, a milter replaces its content, its annotation puts
/// it on hold or gives it a recipient that is not local (all as <see cref="SpoolSubmission"/> does from then on), or a
/// recipient is deferred (the file, fsynced, goes to <c>deferred/</c>).
/// </summary>
/// <remarks>
/// Why not stream the content straight into the first recipient's Maildir and hard-link it into the others: each copy
/// starts with its own <c>Delivered-To</c> and <c>X-Original-To</c>, and the folder (INBOX, Junk, a Sieve target), the
/// quota verdict and the header fields the checks at end of DATA put in front are known only once the content is in.
/// Kill -9 before the <c>250</c> leaves nothing in the queue (copies already in mailboxes stay, as on the spool-file
/// path); after it, the copies or the deferred file are durable.
/// </remarks>
internal sealed class DirectSubmission : IMessageSubmission
{
    private readonly QueueManager _manager;
    private readonly Envelope _envelope;
    private readonly int _limit;
    private readonly DirectContentStream _content;
    private MemoryStream _buffer = new();
    private SpoolSubmission? _spool;
    private MessageAnnotation? _annotation;
    private string? _deferredSpool;
    private bool _finished;

    public DirectSubmission(QueueManager manager, string queueId, Envelope envelope, int limit)
    {
        _manager = manager;
        QueueId = queueId;
        _envelope = envelope;
        _limit = limit;
        _content = new DirectContentStream(this);
    }

    public string QueueId { get; }

    public Stream Content => _content;

    /// <summary>The spool file the message moved to, or null while it is in memory.</summary>
    internal SpoolSubmission? Spool => _spool;

    /// <summary>True when <paramref name="count"/> more bytes still fit in memory.</summary>
    internal bool Fits(int count) => _buffer.Length + count <= _limit;

    /// <summary>Appends <paramref name="data"/> (which <see cref="Fits"/>) to memory, never reserving past the limit.</summary>
    internal void Hold(ReadOnlySpan<byte> data)
    {
        long needed = _buffer.Length + data.Length;
        if (needed > _buffer.Capacity)
        {
            _buffer.Capacity = (int)Math.Min(_limit, Math.Max(needed, Math.Max(4096, 2L * _buffer.Capacity)));
        }

        _buffer.Write(data);
    }

    public Stream OpenWrittenContent()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        return _spool?.OpenWrittenContent() ?? new MemoryStream(_buffer.GetBuffer(), 0, (int)_buffer.Length, writable: false);
    }

    public void Annotate(MessageAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        if (_spool is not null)
        {
            _spool.Annotate(annotation);
        }
        else
        {
            _annotation = annotation;
        }
    }

    /// <summary>A milter's edit is rare: it goes through a spool file, as every message did before.</summary>
    public ValueTask ReplaceContentAsync(Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken) =>
        Spill().ReplaceContentAsync(write, cancellationToken);

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_spool is null)
        {
            Envelope envelope = _annotation is null ? _envelope : SpoolSubmission.Amend(_envelope, _annotation);
            if (_annotation?.Hold != true && _manager.AcceptsDirectDelivery(envelope))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await CommitDirectAsync(envelope).ConfigureAwait(false);
                return;
            }
        }

        await Spill().CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the message to a spool file (once): the envelope record, what was received so far, the annotation; from then
    /// on every call goes to that <see cref="SpoolSubmission"/>, which owns the queue id's tracking.
    /// </summary>
    /// <exception cref="IOException">The spool file could not be created or written (answer 451).</exception>
    internal SpoolSubmission Spill()
    {
        if (_spool is not null)
        {
            return _spool;
        }

        ObjectDisposedException.ThrowIf(_finished, this);
        try
        {
            _spool = SpoolQueue.CreateSpool(_manager, QueueId, _envelope);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"cannot queue {QueueId}: {ex.Message}", ex);
        }

        if (_annotation is not null)
        {
            _spool.Annotate(_annotation);
        }

        // Written after _spool is set: if this fails, disposing the submission removes the file.
        _spool.Content.Write(_buffer.GetBuffer(), 0, (int)_buffer.Length);
        _buffer = new MemoryStream(0);
        return _spool;
    }

    /// <summary>
    /// The delivery attempt from memory. Nobody left pending: the copies are durable, the notices go out (quoting the
    /// content from memory), done. Someone deferred: the spool file is written and fsynced now, and goes to
    /// <c>deferred/</c> as after a failed first attempt in the queue.
    /// </summary>
    private async ValueTask CommitDirectAsync(Envelope envelope)
    {
        byte[] content = _buffer.GetBuffer();
        int length = (int)_buffer.Length;
        if (_annotation is { HeaderPrefix.Length: > 0 } annotation)
        {
            byte[] prefix = System.Text.Encoding.UTF8.GetBytes(annotation.HeaderPrefix);
            byte[] joined = new byte[prefix.Length + length];
            prefix.CopyTo(joined, 0);
            Array.Copy(content, 0, joined, prefix.Length, length);
            content = joined;
            length = joined.Length;
        }

        string spoolPath = Path.Combine(_manager.Directories.Incoming, QueueId);
        Stream Open() => new MemoryStream(content, 0, length, writable: false);
        var entry = new QueueEntry(QueueId, envelope, spoolPath, 0, length, _manager.TimeProvider.GetUtcNow(), new RecipientState[envelope.Recipients.Count])
        {
            MemoryContent = Open,
        };
        _finished = true;
        await _manager.DeliverDirectAsync(entry, Open).ConfigureAwait(false);
        if (entry.PendingCount > 0)
        {
            _deferredSpool = spoolPath;
            entry.ContentOffset = WriteDurably(spoolPath, envelope, content, length);
            entry.MemoryContent = null;
            await _manager.DeferDirectAsync(entry).ConfigureAwait(false);
            _deferredSpool = null;
        }
        else
        {
            await _manager.FinishDirectAsync(entry).ConfigureAwait(false);
        }

        _manager.UntrackIncoming(QueueId);
    }

    /// <summary>Writes and fsyncs the spool file of a deferred message; returns the content offset.</summary>
    private static long WriteDurably(string path, Envelope envelope, byte[] content, int length)
    {
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, SpoolSubmission.BufferSize);
            long offset = QueueFile.WriteHeader(file, envelope);
            file.Write(content, 0, length);
            file.Flush(flushToDisk: true);
            return offset;
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"cannot queue {Path.GetFileName(path)}: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_spool is not null)
        {
            await _spool.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _finished = true;
        if (_deferredSpool is not null)
        {
            // The deferral failed (the client got 451): the spool file it wrote in incoming/ goes too.
            File.Delete(_deferredSpool);
            _deferredSpool = null;
        }

        _manager.UntrackIncoming(QueueId);
    }
}
