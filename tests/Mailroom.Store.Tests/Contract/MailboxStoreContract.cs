using System.Text;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Contract;

/// <summary>
/// What every mail store promises through the mailbox API (<see cref="IMailboxStore"/>, <see cref="MailFolder"/>,
/// <see cref="SaveTransaction"/>), whatever keeps the mail: the Maildir store and the in-memory store run these tests,
/// and so must any further backend (PostgreSQL and an object store). Backend-specific behaviour (files, restarts,
/// index caches) is tested beside each backend instead.
/// </summary>
public abstract partial class MailboxStoreContract : IDisposable
{
    protected const string User = "alice@example.org";
    protected const string OtherUser = "bob@example.org";

    private IMailboxStore? _store;

    protected IMailboxStore Store => _store ??= CreateStore(Options, Indexer);

    /// <summary>The indexer the store is made with: every contract test runs with one, as the server does.</summary>
    private protected RecordingIndexer Indexer { get; private set; } = new();

    /// <summary>The options the store is created with on first use of <see cref="Store"/> (a test may change them before).</summary>
    protected StoreOptions Options { get; } = new();

    public void Dispose()
    {
        (_store as IDisposable)?.Dispose();
        DisposeBackend();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A new, empty store with <paramref name="options"/> (the backend sets where it keeps mail) that indexes messages
    /// with <paramref name="indexer"/>.
    /// </summary>
    protected abstract IMailboxStore CreateStore(StoreOptions options, IMessageIndexer indexer);

    /// <summary>Makes the store (not yet created) index with an indexer that fails every call.</summary>
    private protected void UseFailingIndexer()
    {
        Assert.Null(_store);
        Indexer = new RecordingIndexer(fail: true);
    }

    /// <summary>Removes whatever the backend keeps outside the store object (a temporary directory).</summary>
    protected virtual void DisposeBackend()
    {
    }

    protected FolderLease Open(string name = "INBOX", string user = User) =>
        Store.OpenFolder(user, name) ?? throw new InvalidOperationException(name + " does not exist");

    protected static byte[] Message(string subject) => Encoding.ASCII.GetBytes($"Subject: {subject}\r\n\r\nbody of {subject}\r\n");

    protected static Task<uint> AppendAsync(MailFolder folder, string subject, MessageFlags flags = MessageFlags.None, params string[] keywords) =>
        StoreOperations.AppendAsync(folder, Message(subject), flags, keywords);

    protected static string Subject(MailFolder folder, uint uid)
    {
        string text = Encoding.ASCII.GetString(StoreOperations.Read(folder, uid));
        return text["Subject: ".Length..text.IndexOf('\r', StringComparison.Ordinal)];
    }

    protected static IEnumerable<string> Subjects(MailFolder folder) => folder.Refresh().Messages.Select(m => Subject(folder, m.Uid));
}
