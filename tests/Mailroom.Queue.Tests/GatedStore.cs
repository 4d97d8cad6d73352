using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Tests;

/// <summary>
/// A store whose deliveries wait until the test opens the gate (bounded: 10 s, then they fail), so that a test can tell
/// whether a commit returned before or after the delivery; the rest is the inner store's.
/// </summary>
internal sealed class GatedStore(IMailboxStore inner) : IMailboxStore, IDisposable
{
    private readonly ManualResetEventSlim _gate = new(initialState: false);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    /// <summary>Completes when the first delivery reaches the gate.</summary>
    public Task Entered => _entered.Task;

    public void Open() => _gate.Set();

    public SaveTransaction BeginDelivery(string user)
    {
        _entered.TrySetResult();
        if (!_gate.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new IOException("the test never opened the gate");
        }

        return inner.BeginDelivery(user);
    }

    public IReadOnlyList<FolderInfo> ListFolders(string user) => inner.ListFolders(user);

    public FolderResult CreateFolder(string user, string name) => inner.CreateFolder(user, name);

    public FolderResult DeleteFolder(string user, string name) => inner.DeleteFolder(user, name);

    public FolderResult RenameFolder(string user, string from, string to) => inner.RenameFolder(user, from, to);

    public string? GetMailboxId(string user, string name) => inner.GetMailboxId(user, name);

    public void SetSubscribed(string user, string name, bool subscribed) => inner.SetSubscribed(user, name, subscribed);

    public IReadOnlyList<string> GetSubscriptions(string user) => inner.GetSubscriptions(user);

    public FolderLease? OpenFolder(string user, string name, bool keepNew = false) => inner.OpenFolder(user, name, keepNew);

    public long MeasureUsedBytes(string user) => inner.MeasureUsedBytes(user);

    public string GetTemporaryDirectory(string user) => inner.GetTemporaryDirectory(user);

    public void Dispose() => _gate.Dispose();
}
