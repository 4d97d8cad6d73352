namespace Mailroom.Store.Mailboxes;

/// <summary>
/// A session's hold on a <see cref="MailFolder"/>: reference-counted, so the folder stays loaded (and shared)
/// while anybody holds it and may be unloaded when the last lease is disposed.
/// </summary>
public sealed class FolderLease : IDisposable
{
    private readonly MailboxRepository _repository;
    private int _disposed;

    internal FolderLease(MailboxRepository repository, MailFolder folder)
    {
        _repository = repository;
        Folder = folder;
    }

    public MailFolder Folder { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _repository.Release(Folder);
        }
    }
}
