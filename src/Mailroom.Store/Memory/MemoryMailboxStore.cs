using System.Globalization;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Store.Memory;

/// <summary>
/// The mail store in memory: every rule of the mailbox API (folders, UIDs and UIDVALIDITY, mod-sequences, \Recent,
/// flags and keywords, save transactions, expunge, subscriptions, usage) without files, so protocol sessions can be
/// tested quickly and the contract tests show what the API promises apart from Maildir. Nothing survives the process:
/// it is not a place to keep mail. Thread-safe.
/// </summary>
public sealed class MemoryMailboxStore : IMailboxStore, IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MemoryUser> _users = new(StringComparer.Ordinal);
    private readonly Lazy<DirectoryInfo> _scratch = new(static () => System.IO.Directory.CreateTempSubdirectory("mailroom-memory-store-"));
    private uint _lastUidValidity;
    private long _names;

    /// <param name="time">The clock (the system's by default).</param>
    /// <param name="logger">Diagnostics (none by default).</param>
    /// <param name="indexer">Computes each message's cached fields as it is saved, as the Maildir store does; none by default.</param>
    /// <param name="options">The store's settings (how many expunged UIDs a folder remembers).</param>
    public MemoryMailboxStore(TimeProvider? time = null, ILogger? logger = null, IMessageIndexer? indexer = null, StoreOptions? options = null)
    {
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        Indexer = indexer;
        ExpungedUidMemory = (options ?? new StoreOptions()).ExpungedUidMemory;
        HeldBudget = new HeldContentBudget((options ?? new StoreOptions()).MaxHeldExpungedMessages);
    }

    public event Action<string>? UsageChanged;

    public event Action<FolderListChange>? FolderListChanged;

    internal TimeProvider Time => _time;

    /// <summary>Computes the cached fields of saved messages; null when none was given.</summary>
    internal IMessageIndexer? Indexer { get; }

    public IReadOnlyList<FolderInfo> ListFolders(string user)
    {
        MemoryUser owner = Prepare(user);
        lock (_gate)
        {
            List<string> names = [.. owner.Folders.Keys.Where(static n => !FolderNames.IsInbox(n)).Order(StringComparer.Ordinal)];
            var folders = new List<FolderInfo>(names.Count + 1);
            foreach (string name in (IEnumerable<string>)[FolderNames.Inbox, .. names])
            {
                bool hasChildren = names.Exists(other => other.Length > name.Length && FolderNames.IsSelfOrDescendant(other, name));
                folders.Add(new FolderInfo(name, DefaultFolders.SpecialUseOf(name), hasChildren, owner.Subscriptions.Contains(name)));
            }

            return folders;
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

        MemoryUser owner = Prepare(user);
        List<FolderListChange> created;
        lock (_gate)
        {
            if (owner.Folders.ContainsKey(canonical))
            {
                return FolderResult.AlreadyExists;
            }

            created = NewFoldersLocked(owner, canonical);
            CreateWithParentsLocked(owner, canonical);
        }

        OnFolderListChanged(created);
        return FolderResult.Ok;
    }

    /// <summary>The folders (and parents) that creating <paramref name="canonical"/> would add, as announcements.</summary>
    private static List<FolderListChange> NewFoldersLocked(MemoryUser owner, string canonical) =>
        [.. ((IEnumerable<string>)[.. FolderNames.Parents(canonical), canonical])
            .Where(n => !owner.Folders.ContainsKey(n))
            .Select(n => new FolderListChange(owner.User, FolderListChangeKind.Created, n))];

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

        MemoryUser owner = Prepare(user);
        MemoryFolder? folder;
        lock (_gate)
        {
            if (!owner.Folders.TryGetValue(canonical, out folder))
            {
                return FolderResult.NotFound;
            }

            if (owner.Folders.Keys.Any(other => other != canonical && FolderNames.IsSelfOrDescendant(other, canonical)))
            {
                return FolderResult.HasChildrenNoSelect;
            }

            owner.Folders.Remove(canonical);
        }

        folder.MarkDeleted();
        OnUsageChanged(owner.User);
        OnFolderListChanged([new FolderListChange(owner.User, FolderListChangeKind.Deleted, canonical)]);
        return FolderResult.Ok;
    }

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

        MemoryUser owner = Prepare(user);
        MemoryFolder? inbox = null;
        MemoryFolder? destination = null;
        List<FolderListChange> changes;
        lock (_gate)
        {
            if (owner.Folders.ContainsKey(target))
            {
                return FolderResult.AlreadyExists;
            }

            if (!FolderNames.IsInbox(source))
            {
                changes = [];
                FolderResult result = RenameTreeLocked(owner, source, target, changes);
                if (result != FolderResult.Ok)
                {
                    return result;
                }
            }
            else
            {
                changes = NewFoldersLocked(owner, target);
                CreateWithParentsLocked(owner, target);
                inbox = owner.Folders[FolderNames.Inbox];
                destination = owner.Folders[target];
            }
        }

        // Renaming INBOX moves its messages into the new folder and leaves INBOX empty (RFC 9051 §6.3.6).
        inbox?.MoveAllTo(destination!);
        OnFolderListChanged(changes);
        return FolderResult.Ok;
    }

    public void SetSubscribed(string user, string name, bool subscribed)
    {
        if (!FolderNames.TryCanonicalize(name, out string canonical))
        {
            throw new ArgumentException($"'{name}' is not a valid folder name.", nameof(name));
        }

        MemoryUser owner = Prepare(user);
        bool changed;
        lock (_gate)
        {
            if (subscribed)
            {
                changed = !owner.Subscriptions.Contains(canonical);
                if (changed)
                {
                    owner.Subscriptions.Add(canonical);
                }
            }
            else
            {
                changed = owner.Subscriptions.Remove(canonical);
            }
        }

        if (changed)
        {
            OnFolderListChanged([new FolderListChange(owner.User, subscribed ? FolderListChangeKind.Subscribed : FolderListChangeKind.Unsubscribed, canonical)]);
        }
    }

    public IReadOnlyList<string> GetSubscriptions(string user)
    {
        MemoryUser owner = Prepare(user);
        lock (_gate)
        {
            return [.. owner.Subscriptions];
        }
    }

    public string? GetMailboxId(string user, string name)
    {
        if (!FolderNames.TryCanonicalize(name, out string canonical))
        {
            return null;
        }

        MemoryUser owner = Prepare(user);
        lock (_gate)
        {
            return owner.Folders.TryGetValue(canonical, out MemoryFolder? folder) ? folder.MailboxId : null;
        }
    }

    public FolderLease? OpenFolder(string user, string name, bool keepNew = false)
    {
        if (!FolderNames.TryCanonicalize(name, out string canonical))
        {
            return null;
        }

        MemoryUser owner = Prepare(user);
        MemoryFolder? folder;
        lock (_gate)
        {
            if (!owner.Folders.TryGetValue(canonical, out folder))
            {
                return null;
            }

            folder.Leases++;
        }

        return new FolderLease(folder, Release);
    }

    public SaveTransaction BeginDelivery(string user)
    {
        MemoryUser owner = Prepare(user);
        lock (_gate)
        {
            return new MemorySave(this, owner.Folders[FolderNames.Inbox], delivery: true);
        }
    }

    public long MeasureUsedBytes(string user)
    {
        (string local, string domain) = UserNames.Split(user);
        List<MemoryFolder> folders;
        lock (_gate)
        {
            if (!_users.TryGetValue(local + "@" + domain, out MemoryUser? owner))
            {
                return 0;
            }

            folders = [.. owner.Folders.Values];
        }

        return folders.Sum(static f => f.Current.Messages.Sum(static m => m.Size));
    }

    public string GetTemporaryDirectory(string user)
    {
        (string local, string domain) = UserNames.Split(user);
        return Path.Combine(_scratch.Value.FullName, domain, local);
    }

    public void Dispose()
    {
        if (_scratch.IsValueCreated && _scratch.Value.Exists)
        {
            _scratch.Value.Delete(recursive: true);
        }
    }

    /// <summary>A UIDVALIDITY never handed out by this store: the clock in seconds, above the last one.</summary>
    internal uint NextUidValidity()
    {
        lock (_gate)
        {
            uint now = (uint)Math.Clamp(_time.GetUtcNow().ToUnixTimeSeconds(), 1, uint.MaxValue - 1);
            _lastUidValidity = Math.Max(now, _lastUidValidity + 1);
            return _lastUidValidity;
        }
    }

    /// <summary>A unique name for a new message (its <see cref="MessageRecord.BaseName"/>; POP3's UIDL).</summary>
    internal string NextName() =>
        string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow().ToUnixTimeSeconds()}.M{Interlocked.Increment(ref _names)}.memory");

    internal void OnUsageChanged(string user) => UsageChanged?.Invoke(user);

    /// <summary>Announces folder list changes, outside the store's lock (a listener may call back into the store).</summary>
    private void OnFolderListChanged(IEnumerable<FolderListChange> changes)
    {
        foreach (FolderListChange change in changes)
        {
            FolderListChanged?.Invoke(change);
        }
    }

    internal ILogger Logger => _logger;

    /// <summary><see cref="StoreOptions.ExpungedUidMemory"/>.</summary>
    internal int ExpungedUidMemory { get; }

    /// <summary><see cref="StoreOptions.MaxHeldExpungedMessages"/>, shared by every folder.</summary>
    internal HeldContentBudget HeldBudget { get; }

    private void Release(MailFolder released)
    {
        var folder = (MemoryFolder)released;
        lock (_gate)
        {
            if (--folder.Leases == 0)
            {
                folder.DetachHandlers();
            }
        }
    }

    /// <summary>The user's folders; a new user gets INBOX and the default folders, subscribed.</summary>
    private MemoryUser Prepare(string user)
    {
        (string local, string domain) = UserNames.Split(user);
        string key = local + "@" + domain;
        lock (_gate)
        {
            if (!_users.TryGetValue(key, out MemoryUser? owner))
            {
                owner = new MemoryUser(user);
                _users.Add(key, owner);
                owner.Folders.Add(FolderNames.Inbox, new MemoryFolder(this, user, FolderNames.Inbox));
                owner.Subscriptions.Add(FolderNames.Inbox);
                foreach ((string name, _) in DefaultFolders.All)
                {
                    CreateWithParentsLocked(owner, name);
                    owner.Subscriptions.Add(name);
                }
            }

            return owner;
        }
    }

    private void CreateWithParentsLocked(MemoryUser owner, string canonical)
    {
        foreach (string name in (IEnumerable<string>)[.. FolderNames.Parents(canonical), canonical])
        {
            if (!owner.Folders.ContainsKey(name))
            {
                owner.Folders.Add(name, new MemoryFolder(this, owner.User, name));
            }
        }
    }

    private FolderResult RenameTreeLocked(MemoryUser owner, string source, string target, List<FolderListChange> changes)
    {
        if (!owner.Folders.ContainsKey(source))
        {
            return FolderResult.NotFound;
        }

        List<(string From, string To)> moves = [.. owner.Folders.Keys
            .Where(name => FolderNames.IsSelfOrDescendant(name, source))
            .Select(name => (name, target + name[source.Length..]))];
        foreach ((_, string newName) in moves)
        {
            if (!FolderNames.TryCanonicalize(newName, out _) || owner.Folders.ContainsKey(newName))
            {
                return FolderResult.AlreadyExists;
            }
        }

        foreach (string parent in FolderNames.Parents(target))
        {
            if (!owner.Folders.ContainsKey(parent))
            {
                owner.Folders.Add(parent, new MemoryFolder(this, owner.User, parent));
                changes.Add(new FolderListChange(owner.User, FolderListChangeKind.Created, parent));
            }
        }

        List<MemoryFolder> moved = [.. moves.Select(move => owner.Folders[move.From])];
        foreach ((string oldName, _) in moves)
        {
            owner.Folders.Remove(oldName);
        }

        for (int i = 0; i < moves.Count; i++)
        {
            moved[i].Relocate(moves[i].To);
            owner.Folders.Add(moves[i].To, moved[i]);
            changes.Add(new FolderListChange(owner.User, FolderListChangeKind.Renamed, moves[i].To, moves[i].From));
        }

        for (int i = 0; i < owner.Subscriptions.Count; i++)
        {
            if (FolderNames.IsSelfOrDescendant(owner.Subscriptions[i], source))
            {
                owner.Subscriptions[i] = target + owner.Subscriptions[i][source.Length..];
            }
        }

        List<string> distinct = [.. owner.Subscriptions.Distinct(StringComparer.Ordinal)];
        owner.Subscriptions.Clear();
        owner.Subscriptions.AddRange(distinct);
        return FolderResult.Ok;
    }

    /// <summary>One user's folders (canonical name → folder) and subscriptions; guarded by the store's lock.</summary>
    private sealed class MemoryUser(string user)
    {
        public string User { get; } = user;

        public Dictionary<string, MemoryFolder> Folders { get; } = new(StringComparer.Ordinal);

        public List<string> Subscriptions { get; } = [];
    }
}
