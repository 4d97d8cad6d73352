using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>
/// Each open folder costs a file-system watch (an inotify instance and watches on Linux). Past the kernel's per-user
/// limits a folder falls back to its slow poll: the admin is told once, and the folder keeps noticing other programs.
/// </summary>
public sealed class WatchFallbackTests : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly LogCapture _log = new();
    private readonly MailboxTestContext _context;

    public WatchFallbackTests()
    {
        _context = new MailboxTestContext(o => o.FolderPollInterval = PollInterval, _time, new Logger<MaildirStore>(_log));
    }

    public void Dispose()
    {
        _context.Dispose();
        _log.Dispose();
    }

    [Fact]
    public void AFolderIsWatchedWhileTheKernelAllowsIt()
    {
        using FolderLease lease = _context.Open();

        Assert.True(((MaildirFolder)lease.Folder).IsWatched);
        Assert.Empty(WatchWarnings());
    }

    [Fact]
    public void PastTheInotifyLimitEveryFolderPollsAndTheWarningIsLoggedOnce()
    {
        _context.Store.StartWatcher = static _ =>
            throw new IOException("The configured user limit (128) on the number of inotify instances has been reached.");

        using FolderLease first = _context.Open();
        using FolderLease second = _context.Store.OpenFolder("bob@example.org", "INBOX")!;
        using FolderLease third = _context.Store.OpenFolder("carol@example.org", "INBOX")!;

        Assert.All([first, second, third], lease => Assert.False(((MaildirFolder)lease.Folder).IsWatched));
        string warning = Assert.Single(WatchWarnings());
        Assert.Contains("fs.inotify.max_user_instances", warning, StringComparison.Ordinal);
        Assert.Equal(2, _log.Entries.Count(e => e.Level == LogLevel.Debug && e.Message.StartsWith("Could not watch", StringComparison.Ordinal)));
    }

    [Fact]
    public void AnUnwatchedFolderStillNoticesAnotherProgramAtItsPoll()
    {
        _context.Store.StartWatcher = static _ => throw new IOException("inotify_add_watch: No space left on device");
        using FolderLease lease = _context.Open();
        int changed = 0;
        lease.Folder.Changed += () => Interlocked.Increment(ref changed);

        // As Dovecot's LDA or procmail would: a finished file appears in new/.
        File.WriteAllText(Path.Combine(_context.Maildir, "new", "1700000000.M1P1.otherhost"), "Subject: outside\r\n\r\nbody\r\n");
        _time.Advance(PollInterval - TimeSpan.FromSeconds(1));
        Assert.Equal(0, Volatile.Read(ref changed));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, Volatile.Read(ref changed));
        Assert.Equal(["outside"], lease.Folder.Current.Messages.Select(m => MailboxTestContext.ReadSubject(lease.Folder, m.Uid)));
    }

    private IEnumerable<string> WatchWarnings() =>
        _log.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.StartsWith("Could not watch", StringComparison.Ordinal)).Select(e => e.Message);
}
