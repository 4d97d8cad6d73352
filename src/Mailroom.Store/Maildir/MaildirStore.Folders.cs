using Mailroom.IO;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>LIST, CREATE, DELETE, RENAME (RFC 9051 §6.3).</summary>
public sealed partial class MaildirStore
{
    public IReadOnlyList<FolderInfo> ListFolders(string user)
    {
        UserMailboxes owner = Acquire(user);
        try
        {
            List<string> names = FolderNamesOf(owner.Maildir);
            var subscribed = new HashSet<string>(ReadSubscriptions(owner.Maildir), StringComparer.Ordinal);
            var folders = new List<FolderInfo>(names.Count + 1);
            foreach (string name in (IEnumerable<string>)[FolderNames.Inbox, .. names.Order(StringComparer.Ordinal)])
            {
                bool hasChildren = names.Exists(other => other.Length > name.Length && FolderNames.IsSelfOrDescendant(other, name));
                folders.Add(new FolderInfo(name, DefaultFolders.SpecialUseOf(name), hasChildren, subscribed.Contains(name)));
            }

            return folders;
        }
        finally
        {
            Release(owner);
        }
    }

    public FolderResult CreateFolder(string user, string name)
    {
        if (name is { Length: > 1 } && name[^1] == FolderNames.Delimiter)
        {
            name = name[..^1];
        }

        if (!FolderNames.TryCanonicalize(name, out string canonical))
        {
            return FolderResult.InvalidName;
        }

        UserMailboxes owner = Acquire(user);
        List<FolderListChange> created;
        try
        {
            lock (owner.ManagementGate)
            {
                if (FolderNames.IsInbox(canonical) || System.IO.Directory.Exists(FolderNames.GetPath(owner.Maildir, canonical)))
                {
                    return FolderResult.AlreadyExists;
                }

                created = [.. ((IEnumerable<string>)[.. FolderNames.Parents(canonical), canonical])
                    .Where(n => !FolderNames.IsInbox(n) && !System.IO.Directory.Exists(FolderNames.GetPath(owner.Maildir, n)))
                    .Select(n => new FolderListChange(user, FolderListChangeKind.Created, n))];
                CreateWithParents(owner, canonical);
            }
        }
        finally
        {
            Release(owner);
        }

        OnFolderListChanged(created);
        return FolderResult.Ok;
    }

    /// <summary>
    /// DELETE. A folder with children is refused: Maildir++ cannot keep a \Noselect parent. The folder leaves in one
    /// atomic rename, so nobody sees half of it.
    /// </summary>
    public FolderResult DeleteFolder(string user, string name)
    {
        if (!FolderNames.TryCanonicalize(name, out string canonical))
        {
            return FolderResult.InvalidName;
        }

        if (FolderNames.IsInbox(canonical))
        {
            return FolderResult.CannotDeleteInbox;
        }

        UserMailboxes owner = Acquire(user);
        try
        {
            lock (owner.ManagementGate)
            {
                string path = FolderNames.GetPath(owner.Maildir, canonical);
                if (!System.IO.Directory.Exists(path))
                {
                    return FolderResult.NotFound;
                }

                if (FolderNamesOf(owner.Maildir).Exists(other => other != canonical && FolderNames.IsSelfOrDescendant(other, canonical)))
                {
                    return FolderResult.HasChildrenNoSelect;
                }

                // Out of sight in one atomic rename, then removed: nobody sees half a folder.
                string doomed = Path.Combine(owner.Maildir, "tmp", "mailroom-deleted-" + Guid.NewGuid().ToString("N"));
                System.IO.Directory.Move(path, doomed);
                DurableFile.FlushDirectory(owner.Maildir);
                System.IO.Directory.Delete(doomed, recursive: true);
                owner.Index.DeleteFolder(canonical);

                MaildirFolder? loaded;
                lock (_gate)
                {
                    // Its remaining leases find another instance (or none) under the name and leave the table alone.
                    if (owner.Folders.Remove(canonical, out loaded))
                    {
                        ForgetLocked(loaded);
                    }
                }

                loaded?.MarkDeleted();
                OnUsageChanged(owner.User);
            }
        }
        finally
        {
            Release(owner);
        }

        OnFolderListChanged([new FolderListChange(user, FolderListChangeKind.Deleted, canonical)]);
        return FolderResult.Ok;
    }

    /// <summary>RENAME: children move along (their directories are renamed, with their uidlists), open folders follow.</summary>
    public FolderResult RenameFolder(string user, string from, string to)
    {
        if (!FolderNames.TryCanonicalize(from, out string source) || !FolderNames.TryCanonicalize(to, out string target))
        {
            return FolderResult.InvalidName;
        }

        if (FolderNames.IsInbox(target) || source == target)
        {
            return FolderResult.AlreadyExists;
        }

        if (FolderNames.IsSelfOrDescendant(target, source))
        {
            return FolderResult.InvalidName;
        }

        UserMailboxes owner = Acquire(user);
        var renamed = new List<FolderListChange>();
        FolderResult result;
        try
        {
            lock (owner.ManagementGate)
            {
                if (System.IO.Directory.Exists(FolderNames.GetPath(owner.Maildir, target)))
                {
                    return FolderResult.AlreadyExists;
                }

                result = FolderNames.IsInbox(source) ? RenameInbox(owner, target, renamed) : RenameTree(owner, source, target, renamed);
            }
        }
        finally
        {
            Release(owner);
        }

        if (result == FolderResult.Ok)
        {
            OnFolderListChanged(renamed);
        }

        return result;
    }

    private FolderResult RenameInbox(UserMailboxes owner, string target, List<FolderListChange> changes)
    {
        // RFC 9051 §6.3.6: INBOX stays; what clients see is a new folder holding its messages.
        changes.AddRange(((IEnumerable<string>)[.. FolderNames.Parents(target), target])
            .Where(n => !FolderNames.IsInbox(n) && !System.IO.Directory.Exists(FolderNames.GetPath(owner.Maildir, n)))
            .Select(n => new FolderListChange(owner.User, FolderListChangeKind.Created, n)));
        CreateWithParents(owner, target);
        using FolderLease inbox = OpenFolder(owner.User, FolderNames.Inbox)!;
        using FolderLease destination = OpenFolder(owner.User, target)!;
        FolderView view = inbox.Folder.Refresh();

        // The move's only wait is the group fsync of the target directory, which completes on the thread pool; RENAME
        // is synchronous, and renaming INBOX is rare enough that holding this thread for it costs nothing.
        inbox.Folder.MoveToAsync(destination.Folder, [.. view.Messages.Select(static m => m.Uid)], CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
        return FolderResult.Ok;
    }

    private FolderResult RenameTree(UserMailboxes owner, string source, string target, List<FolderListChange> changes)
    {
        if (!System.IO.Directory.Exists(FolderNames.GetPath(owner.Maildir, source)))
        {
            return FolderResult.NotFound;
        }

        List<(string From, string To)> moves = [.. FolderNamesOf(owner.Maildir)
            .Where(name => FolderNames.IsSelfOrDescendant(name, source))
            .Select(name => (name, target + name[source.Length..]))];
        foreach ((_, string newName) in moves)
        {
            if (!FolderNames.TryCanonicalize(newName, out _) || System.IO.Directory.Exists(FolderNames.GetPath(owner.Maildir, newName)))
            {
                return FolderResult.AlreadyExists;
            }
        }

        foreach (string parent in FolderNames.Parents(target))
        {
            if (!FolderNames.IsInbox(parent) && !System.IO.Directory.Exists(FolderNames.GetPath(owner.Maildir, parent)))
            {
                CreateMaildir(FolderNames.GetPath(owner.Maildir, parent));
                changes.Add(new FolderListChange(owner.User, FolderListChangeKind.Created, parent));
            }
        }

        foreach ((string oldName, string newName) in moves)
        {
            System.IO.Directory.Move(FolderNames.GetPath(owner.Maildir, oldName), FolderNames.GetPath(owner.Maildir, newName));
        }

        DurableFile.FlushDirectory(owner.Maildir);
        owner.Index.RenameFolder(source, target);

        lock (_gate)
        {
            List<MaildirFolder> open = [.. owner.Folders.Values.Where(f => FolderNames.IsSelfOrDescendant(f.Name, source))];
            foreach (MaildirFolder folder in open)
            {
                owner.Folders.Remove(folder.Name);
            }

            foreach (MaildirFolder folder in open)
            {
                folder.Relocate(target + folder.Name[source.Length..]);
                owner.Folders[folder.Name] = folder;
            }
        }

        RenameSubscriptions(owner, source, target);
        changes.AddRange(moves.Select(move => new FolderListChange(owner.User, FolderListChangeKind.Renamed, move.To, move.From)));
        return FolderResult.Ok;
    }

    private void CreateWithParents(UserMailboxes owner, string canonical)
    {
        foreach (string name in (IEnumerable<string>)[.. FolderNames.Parents(canonical), canonical])
        {
            string path = FolderNames.GetPath(owner.Maildir, name);
            if (!FolderNames.IsInbox(name) && !System.IO.Directory.Exists(path))
            {
                CreateMaildir(path);
                MailboxLog.FolderCreated(_logger, owner.User, name);
            }
        }

        DurableFile.FlushDirectory(owner.Maildir);
    }

    /// <summary>A new user's Maildir gets the default folders, subscribed, the first time anybody looks.</summary>
    private void Prepare(UserMailboxes owner)
    {
        if (_prepared.ContainsKey(owner.Maildir))
        {
            return;
        }

        lock (owner.ManagementGate)
        {
            if (!File.Exists(Path.Combine(owner.Maildir, SubscriptionsFileName)))
            {
                CreateMaildir(owner.Maildir);
                DurableFile.FlushDirectory(Path.GetDirectoryName(owner.Maildir)!);
                foreach ((string name, _) in DefaultFolders.All)
                {
                    CreateWithParents(owner, name);
                }

                WriteSubscriptions(owner.Maildir, [FolderNames.Inbox, .. DefaultFolders.All.Select(static d => d.Name)]);
            }

            _prepared.TryAdd(owner.Maildir, true);
        }
    }

    private static void CreateMaildir(string path)
    {
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new", "tmp"])
        {
            System.IO.Directory.CreateDirectory(Path.Combine(path, sub));
        }

        DurableFile.FlushDirectory(path);
    }

    /// <summary>The folders below the Maildir (not INBOX): directories named by our encoding.</summary>
    private static List<string> FolderNamesOf(string maildir)
    {
        var names = new List<string>();
        foreach (string directory in System.IO.Directory.EnumerateDirectories(maildir, ".*"))
        {
            if (FolderNames.TryFromDirectoryName(Path.GetFileName(directory), out string name))
            {
                names.Add(name);
            }
        }

        return names;
    }
}
