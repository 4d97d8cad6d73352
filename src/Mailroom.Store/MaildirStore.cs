using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Store;

/// <summary>
/// Mailboxes as Maildirs (<c>&lt;MailRoot&gt;/&lt;domain&gt;/&lt;user&gt;/{cur,new,tmp}</c>) that mutt and
/// <c>mail -f</c> read. Delivery follows the Maildir protocol: write <c>tmp/&lt;unique&gt;</c>, fsync it,
/// rename it to <c>new/&lt;unique&gt;,S=&lt;size&gt;,W=&lt;wire size&gt;</c>, fsync <c>new/</c> (group-committed across concurrent
/// deliveries). A reader never sees a partial message; after return the message survives a crash.
/// </summary>
public sealed class MaildirStore : IMailboxStore
{
    private const int CopyBufferSize = 64 * 1024;

    private readonly string _root;
    private readonly MaildirName _names;
    private readonly DirectorySyncGroup _directorySync = new();
    private readonly ConcurrentDictionary<string, bool> _readyMaildirs = new(StringComparer.Ordinal);
    private readonly ILogger<MaildirStore> _logger;

    public MaildirStore(IOptions<StoreOptions> options, TimeProvider timeProvider, ILogger<MaildirStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _root = Path.GetFullPath(options.Value.MailRoot);
        _names = new MaildirName(timeProvider);
        _logger = logger;
    }

    /// <summary>
    /// Raised after a delivery is durable, with the Maildir it went into, so that the IMAP store
    /// (<see cref="Mailboxes.MailboxRepository"/>) tells the sessions watching that INBOX at once (in-process; no polling).
    /// </summary>
    internal event Action<string>? Delivered;

    /// <summary>The unique-name source shared by delivery and IMAP APPEND/COPY, so names never collide in one process.</summary>
    internal MaildirName Names => _names;

    /// <summary>
    /// The Maildir of <paramref name="mailbox"/> (<c>user@domain</c>, case-folded as directory keys are):
    /// the one mapping POP3 and IMAP use too.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not <c>user@domain</c> or would escape the mail root.</exception>
    public string GetMaildirPath(string mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        int at = mailbox.LastIndexOf('@');
        if (at <= 0 || at == mailbox.Length - 1)
        {
            throw new ArgumentException($"'{mailbox}' is not a mailbox name of the form user@domain.", nameof(mailbox));
        }

        string user = mailbox[..at].ToLowerInvariant();
        string domain = mailbox[(at + 1)..].ToLowerInvariant();
        if (!IsSafeSegment(user) || !IsSafeSegment(domain))
        {
            throw new ArgumentException($"'{mailbox}' cannot be stored as a Maildir path.", nameof(mailbox));
        }

        return Path.Combine(_root, domain, user);
    }

    public ValueTask<DeliveredMessage> DeliverAsync(string mailbox, ReadOnlyMemory<byte> prefix, Stream content, CancellationToken cancellationToken) =>
        DeliverIntoAsync(GetMaildirPath(mailbox), prefix, content, cancellationToken);

    public ValueTask<DeliveredMessage> DeliverToFolderAsync(string mailbox, string folder, ReadOnlyMemory<byte> prefix, Stream content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (folder.Contains('/', StringComparison.Ordinal) || folder.StartsWith('.') || folder.Equals(Mailboxes.FolderNames.Inbox, StringComparison.OrdinalIgnoreCase))
        {
            return DeliverAsync(mailbox, prefix, content, cancellationToken);
        }

        return DeliverIntoAsync(Mailboxes.FolderNames.GetPath(GetMaildirPath(mailbox), folder), prefix, content, cancellationToken);
    }

    private async ValueTask<DeliveredMessage> DeliverIntoAsync(string maildir, ReadOnlyMemory<byte> prefix, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        EnsureMaildir(maildir);

        string baseName = _names.Next();
        string tmpPath = Path.Combine(maildir, "tmp", baseName);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(tmpPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            // The Maildir was removed behind our back (user deleted and re-created): build it again.
            _readyMaildirs.TryRemove(maildir, out _);
            EnsureMaildir(maildir);
            handle = File.OpenHandle(tmpPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }

        string? newPath = null;
        DeliveredMessage delivered;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long size;
            var wireSize = new WireSizeCounter();
            using (handle)
            {
                RandomAccess.Write(handle, prefix.Span, 0);
                wireSize.Add(prefix.Span);
                size = prefix.Length;
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    RandomAccess.Write(handle, buffer.AsSpan(0, read), size);
                    wireSize.Add(buffer.AsSpan(0, read));
                    size += read;
                }

                DurableFile.FlushFile(handle);
            }

            newPath = Path.Combine(maildir, "new", MaildirName.WithSizes(baseName, size, wireSize.NameField));
            File.Move(tmpPath, newPath, overwrite: true);

            // Not cancellable: once renamed, the message is visible; give up only if the fsync fails.
            await _directorySync.SyncAsync(Path.Combine(maildir, "new")).ConfigureAwait(false);
            delivered = new DeliveredMessage(newPath, size);
        }
        catch
        {
            TryDelete(tmpPath);
            if (newPath is not null)
            {
                TryDelete(newPath);
            }

            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // Outside the try: the message is durable; nothing a listener does may undo the delivery.
        Delivered?.Invoke(maildir);
        return delivered;
    }

    private static bool IsSafeSegment(string segment) =>
        segment.Length > 0 && segment[0] != '.' && segment.IndexOfAny(['/', '\\', '\0']) < 0;

    private void EnsureMaildir(string maildir)
    {
        if (_readyMaildirs.ContainsKey(maildir))
        {
            return;
        }

        bool created = false;
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new", "tmp"])
        {
            string path = Path.Combine(maildir, sub);
            if (!System.IO.Directory.Exists(path))
            {
                System.IO.Directory.CreateDirectory(path);
                created = true;
            }
        }

        if (created)
        {
            // New directory entries are durable only once their parents are fsynced, up to the mail root.
            for (string? dir = maildir; dir is not null && dir.Length >= _root.Length; dir = Path.GetDirectoryName(dir))
            {
                DurableFile.FlushDirectory(dir);
            }

            StoreLog.MaildirCreated(_logger, maildir);
        }

        _readyMaildirs.TryAdd(maildir, true);
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            StoreLog.CleanupFailed(_logger, path, ex);
        }
    }
}
