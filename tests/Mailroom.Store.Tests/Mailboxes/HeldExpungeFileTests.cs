using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

/// <summary>
/// A Maildir message held for a session that still shows it (RFC 2180 §4.1.1) is an open handle to its removed file:
/// the name is gone at once (other programs, quota and a restart never see it), and the handle is closed when the hold ends.
/// </summary>
public sealed class HeldExpungeFileTests : IDisposable
{
    private readonly MailboxTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task AHeldMessageHasNoFileNameButStaysReadable()
    {
        using FolderLease lease = _context.Open();
        uint uid = await MailboxTestContext.AppendAsync(lease.Folder, "held");
        using FolderViewer viewer = lease.Folder.AddViewer();

        lease.Folder.Remove([uid]);

        Assert.Empty(Directory.GetFiles(Path.Combine(_context.Maildir, "cur")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_context.Maildir, "new")));
        Assert.Equal(MailboxTestContext.Message("held"), StoreOperations.Read(lease.Folder, uid));
        Assert.Single(OpenRemovedFilesUnder(_context.Maildir));
    }

    [Fact]
    public async Task TheHandleIsClosedWhenTheLastViewerHasShownTheExpunge()
    {
        using FolderLease lease = _context.Open();
        uint uid = await MailboxTestContext.AppendAsync(lease.Folder, "released");
        using FolderViewer viewer = lease.Folder.AddViewer();
        lease.Folder.Remove([uid]);
        Assert.Single(OpenRemovedFilesUnder(_context.Maildir));

        viewer.Shown(lease.Folder.Current.Version);

        Assert.Empty(OpenRemovedFilesUnder(_context.Maildir));
    }

    [Fact]
    public async Task ARestartHoldsNothing()
    {
        uint uid;
        FolderViewer viewer;
        using (FolderLease lease = _context.Open())
        {
            uid = await MailboxTestContext.AppendAsync(lease.Folder, "before the restart");
            viewer = lease.Folder.AddViewer();
            lease.Folder.Remove([uid]);
        }

        _context.Restart();

        using FolderLease reopened = _context.Open();
        Assert.Throws<MessageGoneException>(() => reopened.Folder.OpenContent(uid));
        Assert.Equal(0, reopened.Folder.HeldExpungedCount);
        viewer.Dispose();
        Assert.Empty(OpenRemovedFilesUnder(_context.Maildir));
    }

    /// <summary>The files this process holds open whose names were removed, under <paramref name="directory"/> (Linux /proc).</summary>
    private static List<string> OpenRemovedFilesUnder(string directory)
    {
        var found = new List<string>();
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            FileSystemInfo? target;
            try
            {
                target = new FileInfo(fd).ResolveLinkTarget(returnFinalTarget: false);
            }
            catch (IOException)
            {
                continue;
            }

            string name = target?.FullName ?? "";
            if (name.StartsWith(directory, StringComparison.Ordinal) && name.EndsWith(" (deleted)", StringComparison.Ordinal))
            {
                found.Add(name);
            }
        }

        return found;
    }
}
