using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>
/// The spool writer: the only way a message enters the queue (<see cref="IMessageSubmitter"/>). A submission
/// writes <c>incoming/&lt;id&gt;</c> (envelope record, then content); its commit fsyncs the file, renames it
/// into <c>active/</c>, fsyncs that directory (group-committed) and hands the message to the
/// <see cref="QueueManager"/> — unless every recipient is local, when the commit delivers it into the mailboxes
/// at once (<c>QueueManager.Direct.cs</c>): from memory when it fits in <see cref="QueueOptions.DirectMemoryLimit"/>,
/// so that no spool file is created at all (<see cref="DirectSubmission"/>), else from the spool file, then removed.
/// </summary>
public sealed class SpoolQueue : IMessageSubmitter
{
    private const int MaxIdAttempts = 16;

    private readonly QueueManager _manager;

    public SpoolQueue(QueueManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _manager = manager;
    }

    /// <inheritdoc />
    public bool HasRoomFor(long declaredSize) => _manager.Space.HasRoomFor(declaredSize);

    /// <exception cref="IOException">The spool file could not be created (answer 451 4.3.0).</exception>
    public ValueTask<IMessageSubmission> BeginAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Recipients.Count == 0)
        {
            throw new ArgumentException("A message needs at least one recipient.", nameof(envelope));
        }

        cancellationToken.ThrowIfCancellationRequested();
        QueueDirectories directories = _manager.Directories;
        bool inMemory = _manager.DirectMemoryLimit > 0 && _manager.AcceptsDirectDelivery(envelope);
        for (int attempt = 0; attempt < MaxIdAttempts; attempt++)
        {
            string id = QueueId.Next(_manager.TimeProvider);

            // Tracked before any file exists, so that a concurrent recovery never takes it for a leftover and no other
            // submission takes the same id.
            if (_manager.IsQueued(id) || !_manager.TryTrackIncoming(id))
            {
                continue;
            }

            if (inMemory)
            {
                return ValueTask.FromResult<IMessageSubmission>(new DirectSubmission(_manager, id, envelope, _manager.DirectMemoryLimit));
            }

            try
            {
                return ValueTask.FromResult<IMessageSubmission>(CreateSpool(_manager, id, envelope));
            }
            catch (IOException) when (File.Exists(Path.Combine(directories.Incoming, id)))
            {
                _manager.UntrackIncoming(id);
            }
            catch
            {
                _manager.UntrackIncoming(id);
                throw;
            }
        }

        throw new IOException($"no free queue id in {directories.Root} after {MaxIdAttempts} attempts");
    }

    /// <summary>
    /// Creates <c>incoming/&lt;id&gt;</c> (which must not exist) with the envelope record written, for an id the caller
    /// has tracked; the submission untracks it when it ends.
    /// </summary>
    /// <exception cref="IOException">The file could not be created or written.</exception>
    internal static SpoolSubmission CreateSpool(QueueManager manager, string id, Envelope envelope)
    {
        string path = Path.Combine(manager.Directories.Incoming, id);
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, SpoolSubmission.BufferSize);
        try
        {
            long contentOffset = QueueFile.WriteHeader(file, envelope);
            return new SpoolSubmission(manager, id, envelope, path, file, contentOffset);
        }
        catch
        {
            file.Dispose();
            File.Delete(path);
            throw;
        }
    }
}
