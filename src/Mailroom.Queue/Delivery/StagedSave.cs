using Mailroom.Store.Mailboxes;

namespace Mailroom.Queue.Delivery;

/// <summary>
/// One copy of a message written into a save transaction and not yet committed, with the lease on its folder (none for
/// a delivery into INBOX). Disposing it aborts an uncommitted transaction and releases the folder.
/// </summary>
internal sealed class StagedSave(string folder, FolderLease? lease, SaveTransaction transaction) : IDisposable
{
    /// <summary>The folder the copy goes into, for the log.</summary>
    public string Folder { get; } = folder;

    public SaveTransaction Transaction { get; } = transaction;

    public void Dispose()
    {
        Transaction.Dispose();
        lease?.Dispose();
    }
}
