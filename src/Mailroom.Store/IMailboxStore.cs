namespace Mailroom.Store;

/// <summary>
/// The mailbox store as local delivery sees it. Saving is a transaction (Dovecot's begin → save → commit):
/// a message is visible in the mailbox only once it is fully written and fsynced.
/// </summary>
public interface IMailboxStore
{
    /// <summary>
    /// Delivers one copy of a message into the INBOX of <paramref name="mailbox"/> (<c>user@domain</c>):
    /// <paramref name="prefix"/> (delivery headers such as Return-Path and Delivered-To, CRLF-terminated)
    /// followed by <paramref name="content"/> read from its current position to its end. Returns once the
    /// file is fsynced in <c>new/</c> and the directory entry is durable.
    /// </summary>
    ValueTask<DeliveredMessage> DeliverAsync(string mailbox, ReadOnlyMemory<byte> prefix, Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="DeliverAsync"/>, into the folder <paramref name="folder"/> (a canonical IMAP name such as
    /// <c>Junk</c>), created when missing: DMARC quarantine files mail in Junk.
    /// </summary>
    ValueTask<DeliveredMessage> DeliverToFolderAsync(string mailbox, string folder, ReadOnlyMemory<byte> prefix, Stream content, CancellationToken cancellationToken);
}

/// <param name="Path">The file the message was stored in.</param>
/// <param name="Size">Its size in bytes.</param>
public sealed record DeliveredMessage(string Path, long Size);
