using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Store.Tests.Contract;

/// <summary>The mailbox API's contract on the Maildir store, in a temporary mail root.</summary>
public sealed class MaildirStoreContractTests : MailboxStoreContract
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mailroom-contract-");
    private MaildirStore? _maildirs;

    protected override IMailboxStore CreateStore(StoreOptions options, IMessageIndexer indexer)
    {
        options.MailRoot = _root.FullName;
        return _maildirs = new MaildirStore(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<MaildirStore>.Instance, indexer);
    }

    protected override void DisposeBackend() => _root.Delete(recursive: true);

    protected override void AssertNothingLeftBehind(string user)
    {
        string maildir = _maildirs!.GetMaildirPath(user);
        Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "tmp")));
        Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "new")));
        Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "cur")));
    }
}
