using System.Collections.Concurrent;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Tests;

/// <summary>A store whose deliveries fail with an I/O error for chosen mailboxes a given number of times; the rest is the inner store's.</summary>
internal sealed class FlakyStore(IMailboxStore inner) : IMailboxStore
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public event Action<string>? UsageChanged
    {
        add => inner.UsageChanged += value;
        remove => inner.UsageChanged -= value;
    }

    public event Action<FolderListChange>? FolderListChanged
    {
        add => inner.FolderListChanged += value;
        remove => inner.FolderListChanged -= value;
    }

    public void FailNext(string mailbox, int times) => _failures[mailbox] = times;

    public SaveTransaction BeginDelivery(string user)
    {
        if (_failures.TryGetValue(user, out int left) && left > 0)
        {
            _failures[user] = left - 1;
            throw new IOException("No space left on device");
        }

        return inner.BeginDelivery(user);
    }

    public IReadOnlyList<FolderInfo> ListFolders(string user) => inner.ListFolders(user);

    public FolderResult CreateFolder(string user, string name) => inner.CreateFolder(user, name);

    public FolderResult DeleteFolder(string user, string name) => inner.DeleteFolder(user, name);

    public FolderResult RenameFolder(string user, string from, string to) => inner.RenameFolder(user, from, to);

    public void SetSubscribed(string user, string name, bool subscribed) => inner.SetSubscribed(user, name, subscribed);

    public IReadOnlyList<string> GetSubscriptions(string user) => inner.GetSubscriptions(user);

    public string? GetMailboxId(string user, string name) => inner.GetMailboxId(user, name);

    public FolderLease? OpenFolder(string user, string name, bool keepNew = false) => inner.OpenFolder(user, name, keepNew);

    public long MeasureUsedBytes(string user) => inner.MeasureUsedBytes(user);

    public string GetTemporaryDirectory(string user) => inner.GetTemporaryDirectory(user);
}
