using Mailroom.Store.Mailboxes;
using Mailroom.Store.Memory;

namespace Mailroom.Store.Tests.Contract;

/// <summary>The mailbox API's contract on the in-memory store.</summary>
public sealed class MemoryStoreContractTests : MailboxStoreContract
{
    protected override IMailboxStore CreateStore(StoreOptions options, IMessageIndexer indexer) => new MemoryMailboxStore(indexer: indexer, options: options);
}
