using System.Collections.Concurrent;

namespace Mailroom.Pop3;

/// <summary>
/// The in-process registry of mailboxes held by a POP3 session, shared by every POP3 listener (register it as a
/// singleton). RFC 1939 §8 expects the server to lock the maildrop for the session, since message numbers and
/// deletions refer to the snapshot taken at login; a second session gets <c>-ERR [IN-USE]</c> (RFC 2449 §8.1.1).
/// </summary>
public sealed class Pop3MailboxLocks
{
    private readonly ConcurrentDictionary<string, Lease> _held = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes the lock of <paramref name="mailbox"/>; null when another session holds it. Dispose to release.</summary>
    public IDisposable? TryAcquire(string mailbox)
    {
        ArgumentException.ThrowIfNullOrEmpty(mailbox);
        var lease = new Lease(this, mailbox);
        return _held.TryAdd(mailbox, lease) ? lease : null;
    }

    /// <summary>True while a session holds <paramref name="mailbox"/>.</summary>
    public bool IsLocked(string mailbox) => _held.ContainsKey(mailbox);

    private sealed class Lease(Pop3MailboxLocks owner, string mailbox) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner._held.TryRemove(new KeyValuePair<string, Lease>(mailbox, this));
            }
        }
    }
}
