namespace Mailroom.Store.Mailboxes;

/// <summary>
/// A session that shows a folder's messages by number (an IMAP selection, a POP3 maildrop). While it may still show a message
/// another session expunged (RFC 3501 §7.4.1: the EXPUNGE waits for a command that may report it), the folder keeps
/// that message's content readable. Made by <see cref="MailFolder.AddViewer"/>; disposing it ends the hold it caused.
/// </summary>
public sealed class FolderViewer : IDisposable
{
    private readonly ExpungedContentHold _hold;
    private int _disposed;

    internal FolderViewer(ExpungedContentHold hold, long shownVersion)
    {
        _hold = hold;
        ShownVersion = shownVersion;
    }

    /// <summary>The snapshot version through which this viewer shows no expunged message; read under the hold's lock.</summary>
    internal long ShownVersion { get; set; }

    /// <summary>
    /// The viewer shows no message expunged at or before snapshot <paramref name="version"/> any more (it has reported
    /// every EXPUNGE up to that snapshot). Content held only for it is released.
    /// </summary>
    public void Shown(long version)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _hold.Acknowledge(this, version);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _hold.Remove(this);
        }
    }
}
