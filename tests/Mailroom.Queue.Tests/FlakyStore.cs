using System.Collections.Concurrent;
using Mailroom.Store;

namespace Mailroom.Queue.Tests;

/// <summary>A store that fails with an I/O error for chosen mailboxes a given number of times.</summary>
internal sealed class FlakyStore(IMailboxStore inner) : IMailboxStore
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public void FailNext(string mailbox, int times) => _failures[mailbox] = times;

    public ValueTask<DeliveredMessage> DeliverAsync(string mailbox, ReadOnlyMemory<byte> prefix, Stream content, CancellationToken cancellationToken)
    {
        if (_failures.TryGetValue(mailbox, out int left) && left > 0)
        {
            _failures[mailbox] = left - 1;
            throw new IOException("No space left on device");
        }

        return inner.DeliverAsync(mailbox, prefix, content, cancellationToken);
    }

    public ValueTask<DeliveredMessage> DeliverToFolderAsync(string mailbox, string folder, ReadOnlyMemory<byte> prefix, Stream content, CancellationToken cancellationToken) =>
        inner.DeliverToFolderAsync(mailbox, folder, prefix, content, cancellationToken);
}
