using System.Text;
using Mailroom.Imap;
using Mailroom.Store;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Tests;

/// <summary>The host's composition (AddMailroomStore + AddMailroomImap, as <c>serve</c> has it) indexes at save time.</summary>
public sealed class IndexerRegistrationTests : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-indexer-di-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task TheComposedStoreIndexesADeliveryWithTheImapIndexer()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<StoreOptions>(o => o.MailRoot = _root.FullName);
        services.AddOptions<ImapOptions>();
        services.AddMailroomStore();
        services.AddMailroomImap();
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<ImapMessageIndexer>(provider.GetRequiredService<IMessageIndexer>());
        IMailboxStore store = provider.GetRequiredService<MaildirStore>();
        using (SaveTransaction delivery = store.BeginDelivery("dana@example.org"))
        {
            MessageWriter writer = delivery.BeginMessage(MessageFlags.None, [], null);
            await writer.WriteAsync(Encoding.ASCII.GetBytes("Subject: composed\r\n\r\nbody\r\n"), TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);
            await delivery.CommitAsync(TestContext.Current.CancellationToken);
        }

        using FolderLease inbox = store.OpenFolder("dana@example.org", "INBOX")!;
        MessageRecord record = Assert.Single(inbox.Folder.Current.Messages);
        Assert.Equal("(NIL \"composed\" NIL NIL NIL NIL NIL NIL NIL NIL)", Encoding.ASCII.GetString(inbox.Folder.GetCached(record.Uid, CachedField.Envelope)!));
    }
}
