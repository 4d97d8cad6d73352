namespace Mailroom.Store.Mailboxes;

/// <summary>LIST, CREATE, DELETE, RENAME (RFC 9051 §6.3).</summary>
public sealed partial class MailboxRepository
{
    /// <summary>Every folder of the user, INBOX first; a new user gets the default folders first.</summary>
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
                folders.Add(new FolderInfo(name, SpecialUseOf(name), hasChildren, subscribed.Contains(name)));
            }

            return folders;
        }
        finally
        {
            Release(owner);
        }
    }

    /// <summary>CREATE (RFC 9051 §6.3.4): missing parents are created too; a trailing delimiter is ignored.</summary>
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
        try
        {
            lock (owner.ManagementGate)
            {
                if (FolderNames.IsInbox(canonical) || Directory.Exists(FolderNames.GetPath(owner.Maildir, canonical)))
                {
                    return FolderResult.AlreadyExists;
                }

                CreateWithParents(owner, canonical);
                return FolderResult.Ok;
            }
        }
        finally
        {
            Release(owner);
        }
    }

    /// <summary>
    /// DELETE (RFC 9051 §6.3.5). A folder with children is refused (<see cref="FolderResult.HasChildrenNoSelect"/>):
    /// Maildir++ cannot keep a \Noselect parent. Subscriptions stay, as the RFC asks.
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
                if (!Directory.Exists(path))
                {
                    return FolderResult.NotFound;
                }

                if (FolderNamesOf(owner.Maildir).Exists(other => other != canonical && FolderNames.IsSelfOrDescendant(other, canonical)))
                {
                    return FolderResult.HasChildrenNoSelect;
                }

                // Out of sight in one atomic rename, then removed: nobody sees half a folder.
                string doomed = Path.Combine(owner.Maildir, "tmp", "mailroom-deleted-" + Guid.NewGuid().ToString("N"));
                Directory.Move(path, doomed);
                DurableFile.FlushDirectory(owner.Maildir);
                Directory.Delete(doomed, recursive: true);
                owner.Index.DeleteFolder(canonical);

                MailFolder? loaded;
                lock (_gate)
                {
                    // Its remaining leases find another instance (or none) under the name and leave the table alone.
                    if (owner.Folders.Remove(canonical, out loaded))
                    {
                        ForgetLocked(loaded);
                    }
                }

                loaded?.MarkDeleted();
                return FolderResult.Ok;
            }
        }
        finally
        {
            Release(owner);
        }
    }

    /// <summary>
    /// RENAME (RFC 9051 §6.3.6): children move along (their directories are renamed), open folders follow. Renaming
    /// INBOX moves its messages into the new folder and leaves INBOX empty; INBOX's children stay.
    /// </summary>
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
        try
        {
            lock (owner.ManagementGate)
            {
                if (Directory.Exists(FolderNames.GetPath(owner.Maildir, target)))
                {
                    return FolderResult.AlreadyExists;
                }

                return FolderNames.IsInbox(source) ? RenameInbox(owner, target) : RenameTree(owner, source, target);
            }
        }
        finally
        {
            Release(owner);
        }
    }

    private FolderResult RenameInbox(UserMailboxes owner, string target)
    {
        CreateWithParents(owner, target);
        using FolderLease inbox = OpenFolder(owner.User, FolderNames.Inbox)!;
        using FolderLease destination = OpenFolder(owner.User, target)!;
        FolderView view = inbox.Folder.Refresh();
        inbox.Folder.MoveTo(destination.Folder, [.. view.Messages.Select(static m => m.Uid)]);
        return FolderResult.Ok;
    }

    private FolderResult RenameTree(UserMailboxes owner, string source, string target)
    {
        if (!Directory.Exists(FolderNames.GetPath(owner.Maildir, source)))
        {
            return FolderResult.NotFound;
        }

        List<(string From, string To)> moves = [.. FolderNamesOf(owner.Maildir)
            .Where(name => FolderNames.IsSelfOrDescendant(name, source))
            .Select(name => (name, target + name[source.Length..]))];
        foreach ((_, string newName) in moves)
        {
            if (!FolderNames.TryCanonicalize(newName, out _) || Directory.Exists(FolderNames.GetPath(owner.Maildir, newName)))
            {
                return FolderResult.AlreadyExists;
            }
        }

        foreach (string parent in FolderNames.Parents(target))
        {
            if (!FolderNames.IsInbox(parent) && !Directory.Exists(FolderNames.GetPath(owner.Maildir, parent)))
            {
                CreateMaildir(FolderNames.GetPath(owner.Maildir, parent));
            }
        }

        foreach ((string oldName, string newName) in moves)
        {
            Directory.Move(FolderNames.GetPath(owner.Maildir, oldName), FolderNames.GetPath(owner.Maildir, newName));
        }

        DurableFile.FlushDirectory(owner.Maildir);
        owner.Index.RenameFolder(source, target);

        lock (_gate)
        {
            List<MailFolder> open = [.. owner.Folders.Values.Where(f => FolderNames.IsSelfOrDescendant(f.Name, source))];
            foreach (MailFolder folder in open)
            {
                owner.Folders.Remove(folder.Name);
            }

            foreach (MailFolder folder in open)
            {
                folder.Relocate(target + folder.Name[source.Length..]);
                owner.Folders[folder.Name] = folder;
            }
        }

        RenameSubscriptions(owner, source, target);
        return FolderResult.Ok;
    }

    private void CreateWithParents(UserMailboxes owner, string canonical)
    {
        foreach (string name in (IEnumerable<string>)[.. FolderNames.Parents(canonical), canonical])
        {
            string path = FolderNames.GetPath(owner.Maildir, name);
            if (!FolderNames.IsInbox(name) && !Directory.Exists(path))
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
                foreach ((string name, _) in DefaultFolders)
                {
                    CreateWithParents(owner, name);
                }

                WriteSubscriptions(owner.Maildir, [FolderNames.Inbox, .. DefaultFolders.Select(static d => d.Name)]);
            }

            _prepared.TryAdd(owner.Maildir, true);
        }
    }

    private static void CreateMaildir(string path)
    {
        foreach (string sub in (ReadOnlySpan<string>)["cur", "new", "tmp"])
        {
            Directory.CreateDirectory(Path.Combine(path, sub));
        }

        DurableFile.FlushDirectory(path);
    }

    /// <summary>The folders below the Maildir (not INBOX): directories named by our encoding.</summary>
    private static List<string> FolderNamesOf(string maildir)
    {
        var names = new List<string>();
        foreach (string directory in Directory.EnumerateDirectories(maildir, ".*"))
        {
            if (FolderNames.TryFromDirectoryName(Path.GetFileName(directory), out string name))
            {
                names.Add(name);
            }
        }

        return names;
    }
}
