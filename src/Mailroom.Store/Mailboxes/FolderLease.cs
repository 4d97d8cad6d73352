namespace Mailroom.Store.Mailboxes;

/// <summary>
/// A session's hold on a <see cref="MailFolder"/>: reference-counted by its store, so the folder stays loaded (and
/// shared) while anybody holds it and may be unloaded once the last lease is disposed.
/// </summary>
public sealed class FolderLease : IDisposable
{
    private readonly Action<MailFolder> _release;
    private int _disposed;

    internal FolderLease(MailFolder folder, Action<MailFolder> release)
    {
        Folder = folder;
        _release = release;
    }

    public MailFolder Folder { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _release(Folder);
        }
    }
}
