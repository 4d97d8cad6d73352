using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>
/// The spool writer: the only way a message enters the queue (<see cref="IMessageSubmitter"/>). A submission
/// writes <c>incoming/&lt;id&gt;</c> (envelope record, then content); its commit fsyncs the file, renames it
/// into <c>active/</c>, fsyncs that directory (group-committed) and hands the message to the
/// <see cref="QueueManager"/> — unless every recipient is local, when the commit delivers it into the mailboxes
/// at once and removes the spool file (<c>QueueManager.Direct.cs</c>).
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
        for (int attempt = 0; attempt < MaxIdAttempts; attempt++)
        {
            string id = QueueId.Next(_manager.TimeProvider);
            if (_manager.IsQueued(id))
            {
                continue;
            }

            string path = Path.Combine(directories.Incoming, id);
            FileStream file;

            // Tracked before the file exists, so that a concurrent recovery never takes it for a leftover.
            _manager.TrackIncoming(id);
            try
            {
                file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, SpoolSubmission.BufferSize);
            }
            catch (IOException) when (File.Exists(path))
            {
                _manager.UntrackIncoming(id);
                continue;
            }
            catch
            {
                _manager.UntrackIncoming(id);
                throw;
            }

            try
            {
                long contentOffset = QueueFile.WriteHeader(file, envelope);
                return ValueTask.FromResult<IMessageSubmission>(new SpoolSubmission(_manager, id, envelope, path, file, contentOffset));
            }
            catch
            {
                file.Dispose();
                File.Delete(path);
                _manager.UntrackIncoming(id);
                throw;
            }
        }

        throw new IOException($"no free queue id in {directories.Root} after {MaxIdAttempts} attempts");
    }
}
