using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests;

/// <summary>The save transactions the tests run over and over, spelled once.</summary>
internal static class StoreOperations
{
    /// <summary>APPEND: one message saved into <paramref name="folder"/>; returns its UID.</summary>
    public static async Task<uint> AppendAsync(MailFolder folder, byte[] content, MessageFlags flags = MessageFlags.None,
        IReadOnlyList<string>? keywords = null, DateTimeOffset? internalDate = null)
    {
        using SaveTransaction save = folder.BeginSave();
        MessageWriter writer = save.BeginMessage(flags, keywords ?? [], internalDate);
        await writer.WriteAsync(content, TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        SaveResult saved = await save.CommitAsync(TestContext.Current.CancellationToken);
        return Assert.Single(saved.Uids);
    }

    /// <summary>A local delivery of <paramref name="prefix"/> then <paramref name="content"/> into the user's INBOX.</summary>
    public static async Task DeliverAsync(IMailboxStore store, string user, byte[] content, byte[]? prefix = null)
    {
        using SaveTransaction delivery = store.BeginDelivery(user);
        MessageWriter writer = delivery.BeginMessage(MessageFlags.None, [], internalDate: null);
        await writer.WriteAsync(prefix ?? [], TestContext.Current.CancellationToken);
        await writer.WriteAsync(new MemoryStream(content), TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        await delivery.CommitAsync(TestContext.Current.CancellationToken);
    }

    public static byte[] Read(MailFolder folder, uint uid)
    {
        using Stream content = folder.OpenContent(uid);
        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return copy.ToArray();
    }
}
