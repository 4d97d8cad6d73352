using System.Collections.Concurrent;

namespace Mailroom.Store;

/// <summary>
/// How many bytes a mailbox's messages take, for quota checks at RCPT, DATA and local delivery: every message
/// file under <c>cur/</c> and <c>new/</c> of the INBOX and of each Maildir++ subfolder (<c>.Sent/</c>, ...), sized
/// from the <c>,S=&lt;bytes&gt;</c> field of its name where present (Dovecot's and ours: no <c>stat</c> per file),
/// else from the file. Results are kept for <see cref="CacheLifetime"/>: a burst of recipients or deliveries
/// walks the directory once, and a quota is a limit on the order of megabytes, not bytes.
/// </summary>
public sealed class MailboxUsage
{
    /// <summary>How long a measured usage is reused. 5 s: short enough that a user who deleted mail is let in again promptly.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private const int MaxCachedMailboxes = 10_000;

    private readonly MaildirStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, (long Bytes, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public MailboxUsage(MaildirStore store, TimeProvider timeProvider)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>
    /// The bytes used by <paramref name="mailbox"/> (<c>user@domain</c>); 0 when it has no Maildir yet.
    /// </summary>
    /// <exception cref="ArgumentException">The name cannot be a mailbox path.</exception>
    public long GetUsedBytes(string mailbox)
    {
        string maildir = _store.GetMaildirPath(mailbox);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (_cache.TryGetValue(maildir, out var cached) && cached.Expires > now)
        {
            return cached.Bytes;
        }

        long bytes = Measure(maildir);
        if (_cache.Count >= MaxCachedMailboxes)
        {
            _cache.Clear();
        }

        _cache[maildir] = (bytes, now + CacheLifetime);
        return bytes;
    }

    /// <summary>Forgets a measurement, e.g. after a delivery or an expunge changed the mailbox.</summary>
    public void Invalidate(string mailbox) => _cache.TryRemove(_store.GetMaildirPath(mailbox), out _);

    private static long Measure(string maildir)
    {
        if (!System.IO.Directory.Exists(maildir))
        {
            return 0;
        }

        long total = SumFolder(maildir);
        foreach (string folder in System.IO.Directory.EnumerateDirectories(maildir, ".*"))
        {
            total += SumFolder(folder);
        }

        return total;
    }

    private static long SumFolder(string folder)
    {
        long total = 0;
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new"])
        {
            var directory = new DirectoryInfo(Path.Combine(folder, sub));
            if (!directory.Exists)
            {
                continue;
            }

            try
            {
                foreach (FileInfo file in directory.EnumerateFiles())
                {
                    total += SizeOf(file);
                }
            }
            catch (DirectoryNotFoundException)
            {
                // The folder was deleted while we counted (IMAP DELETE): it holds nothing any more.
            }
        }

        return total;
    }

    private static long SizeOf(FileInfo file)
    {
        long size = MaildirFileName.SizeField(file.Name, 'S');
        if (size >= 0)
        {
            return size;
        }

        try
        {
            return file.Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}
