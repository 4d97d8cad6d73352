namespace Mailroom.Store.Mailboxes;

/// <summary>
/// Saving into one folder as a transaction (Dovecot's begin → save → commit): messages written with
/// <see cref="BeginMessage"/> and copies added with <see cref="AddCopies"/> are durable but invisible until
/// <see cref="CommitAsync"/> makes them all visible at once, with consecutive UIDs. Disposing without a successful
/// commit aborts: whatever was written is removed. One caller at a time.
/// </summary>
public abstract class SaveTransaction : IDisposable
{
    private bool _disposed;

    /// <summary>Whether <see cref="CommitAsync"/> completed.</summary>
    protected bool Committed { get; private set; }

    /// <summary>
    /// Starts a new message. Write its content into the returned writer and complete it before the commit.
    /// <paramref name="internalDate"/> (RFC 9051 §2.3.3) defaults to now.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transaction is committed, or a message is still being written.</exception>
    public abstract MessageWriter BeginMessage(MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate);

    /// <summary>
    /// Adds copies of <paramref name="uids"/> of <paramref name="source"/> (a folder of the same user), flags, keywords
    /// and internal dates kept. Returns the UIDs copied, ascending; those that vanished meanwhile are not among them.
    /// </summary>
    /// <exception cref="ArgumentException">The source belongs to another user or another store.</exception>
    public abstract IReadOnlyList<uint> AddCopies(MailFolder source, IReadOnlyList<uint> uids);

    /// <summary>
    /// Makes every message added visible at once; when this returns they survive a crash. A transaction with nothing
    /// in it commits to nothing.
    /// </summary>
    /// <exception cref="IOException">The messages could not be made durable; nothing was saved.</exception>
    public async ValueTask<SaveResult> CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Committed)
        {
            throw new InvalidOperationException("The transaction is already committed.");
        }

        SaveResult result = await CommitCoreAsync(cancellationToken).ConfigureAwait(false);
        Committed = true;
        return result;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!Committed)
        {
            Abort();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The store's commit; on failure it leaves what it wrote for <see cref="Abort"/> to remove.</summary>
    protected abstract ValueTask<SaveResult> CommitCoreAsync(CancellationToken cancellationToken);

    /// <summary>Removes whatever the transaction wrote; never throws for a file it cannot remove (it logs it).</summary>
    protected abstract void Abort();
}
